using System.Globalization;

namespace FieldOps.Bench;

/// <summary>
/// What a process has written so far, from <c>/proc/PID/io</c>: <c>wchar</c> counts the bytes of its <c>write</c> calls
/// (SQLite's WAL frames and checkpoint copies, temporary files, logs; .NET's socket sends are not counted),
/// <c>write_bytes</c> the file pages it dirtied (a page dirtied again before the kernel flushed it counts once).
/// </summary>
internal static class ProcessIo
{
    /// <summary>Both counters of process <paramref name="pid"/> (<c>"self"</c> for this one); nulls where /proc cannot be read.</summary>
    public static (long? Written, long? FileBytes) Read(string pid)
    {
        try
        {
            var io = File.ReadAllLines($"/proc/{pid}/io");
            return (Field(io, "wchar:"), Field(io, "write_bytes:"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    private static long Field(string[] lines, string name) =>
        lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[name.Length..].Trim(), CultureInfo.InvariantCulture)
            : 0;
}
