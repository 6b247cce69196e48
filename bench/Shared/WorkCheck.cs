namespace FieldOps.Bench;

/// <summary>
/// A bench checks it did the work before it prints a figure: a run that routed, stored or delivered less than it
/// was given is reported as a failure (exit code 1) and its figures are not printed.
/// </summary>
internal static class WorkCheck
{
    /// <summary>Throws <see cref="WorkNotDoneException"/> with <paramref name="what"/> unless <paramref name="done"/> holds.</summary>
    public static void Require(bool done, string what)
    {
        if (!done)
            throw new WorkNotDoneException(what);
    }

    /// <summary>Runs the bench; a <see cref="WorkNotDoneException"/> becomes one line on stderr and exit code 1.</summary>
    public static async Task<int> RunAsync(Func<Task> bench)
    {
        try
        {
            await bench().ConfigureAwait(false);
            return 0;
        }
        catch (WorkNotDoneException ex)
        {
            await Console.Error.WriteLineAsync($"BENCH FAILED, no figure printed: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}

/// <summary>The bench did not do the work it was given; its figures would be meaningless.</summary>
internal sealed class WorkNotDoneException(string message) : Exception(message);
