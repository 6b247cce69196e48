namespace FieldOps.LoadDriver;

/// <summary>Waits (bounded) until a process answers <c>/health/ready</c>.</summary>
internal static class Ready
{
    public static async Task WaitAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(url + "/health/ready")).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"{url} did not become ready within 60 s");
    }
}
