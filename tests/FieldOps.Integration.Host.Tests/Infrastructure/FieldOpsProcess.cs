using System.Diagnostics;
using System.Net;
using System.Text;
using FieldOps.Integration.Testing;

namespace FieldOps.Integration.Host.Tests.Infrastructure;

/// <summary>
/// The real <c>fieldops</c> executable in its own process (<c>dotnet fieldops.dll</c> from this test's output
/// folder), configured through environment variables, listening on a free loopback port.
/// </summary>
public sealed class FieldOpsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private FieldOpsProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_error) _error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string StandardOutput { get { lock (_output) return _output.ToString(); } }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    public string StandardError { get { lock (_error) return _error.ToString(); } }

    /// <summary>Starts <c>fieldops</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static FieldOpsProcess Start(string workingDirectory, IDictionary<string, string> environment, params string[] arguments)
    {
        var port = LoopbackPorts.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fieldops.dll"));
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        if ((arguments.Length == 0 || arguments[0] == "run") && !arguments.Contains("--urls"))
        {
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add($"http://127.0.0.1:{port}");
        }
        // Readiness is 503 without mappings: a test that brings none gets the fixture's profile (ready, routes nothing).
        if (!Directory.Exists(Path.Combine(workingDirectory, "mappings")))
            info.Environment["Mappings__Path"] = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mappings");
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        return new FieldOpsProcess(Process.Start(info)!, port);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200, or fails with what the process printed.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"fieldops exited with {_process.ExitCode}:\n{StandardOutput}\n{StandardError}");
            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"fieldops was not ready within {timeout}:\n{StandardOutput}\n{StandardError}");
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as a crash or <c>kill -9</c> would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
