using System.Diagnostics;

namespace FieldOps.Integration.Host.Tests.Faults;

/// <summary>A small tmpfs mounted for one test (needs root or CAP_SYS_ADMIN), unmounted and removed on dispose.</summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Null when mounting works here, else why not (for the skip message).</summary>
    public static string? Unavailable { get; } = Probe();

    public static Tmpfs Mount(string sizeOption)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fieldops-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, text) = Run("mount", "-t", "tmpfs", "-o", $"size={sizeOption}", "tmpfs", path);
        if (code != 0)
            throw new InvalidOperationException($"mount -t tmpfs failed ({code}): {text}");
        return new Tmpfs(path);
    }

    /// <summary>Writes a file until the file system is full; returns its path.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var chunk = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
                stream.Write(chunk);
        }
        catch (IOException)
        {
            // ENOSPC: full. Fill the last bytes one page at a time.
            try
            {
                var page = new byte[4096];
                while (true)
                    stream.Write(page);
            }
            catch (IOException)
            {
            }
        }
        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
            return "tmpfs mounts need Linux";
        try
        {
            using var probe = Mount("64k");
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return ex.Message.Trim();
        }
    }

    private static (int Code, string Text) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var text = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text);
    }
}

/// <summary>A fact that needs a tmpfs mount: reported skipped, with the reason, where mounting is not permitted.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unavailable is { } reason)
            Skip = $"SKIPPED: cannot mount a tmpfs here ({reason}); the disk-full test needs root or CAP_SYS_ADMIN, as in CI";
    }
}
