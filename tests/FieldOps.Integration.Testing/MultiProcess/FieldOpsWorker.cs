using System.Diagnostics;
using System.Net;
using System.Text;

namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// One real <c>fieldops</c> process of a <see cref="FieldOpsCluster"/>: <c>dotnet fieldops.dll run</c> on its own free
/// loopback port, with its own <c>Instance:Name</c>, its output kept (bounded) for failure messages.
/// </summary>
public sealed class FieldOpsWorker : IAsyncDisposable
{
    private const int MaxOutput = 200_000;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private FieldOpsWorker(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The worker's <c>Instance:Name</c> (its instance id starts with it: <c>{name}:{pid}:{hex}</c>).</summary>
    public string Name { get; }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The operating system's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has ended (killed or exited).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed so far (standard output and error, interleaved; the first 200,000 characters).</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts <paramref name="hostAssembly"/> (<c>fieldops.dll</c>) with <paramref name="environment"/>.</summary>
    public static FieldOpsWorker Start(string name, string hostAssembly, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var port = LoopbackPorts.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(hostAssembly);
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        info.Environment["Instance__Name"] = name;
        return new FieldOpsWorker(name, Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), port);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200; fails with the process's output if it exits or the time runs out.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"fieldops worker {Name} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
        throw new TimeoutException($"fieldops worker {Name} was not ready within {timeout}:\n{Output}");
    }

    /// <summary><c>kill -9</c>: SIGKILL to the process at once (no shutdown, no lease release), then waits for it to end.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>
    /// <c>kill -STOP</c> (with <paramref name="frozen"/> true) or <c>kill -CONT</c>: the process stops running where it
    /// is, holding what it holds, until it is let go again (or killed), so a test can look at its claims and know they
    /// will not change under it.
    /// </summary>
    public void Freeze(bool frozen = true)
    {
        if (_process.HasExited)
            return;
        using var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { frozen ? "-STOP" : "-CONT", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("kill did not start");
        signal.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            if (_output.Length < MaxOutput)
                _output.AppendLine(line);
        }
    }
}
