using System.Globalization;

namespace FieldOps.LoadDriver;

/// <summary>
/// The CPU time every core of the machine has spent busy (user, nice, system, irq, softirq in <c>/proc/stat</c>; idle,
/// I/O wait and steal left out), so a phase can say where its jobs' CPU went beyond the service: this driver and its
/// vendor stubs, and the rest — on PostgreSQL the database server, and whatever else runs on the machine.
/// </summary>
internal static class MachineCpu
{
    /// <summary>The busy time so far, or null where <c>/proc/stat</c> cannot be read.</summary>
    public static TimeSpan? Busy()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal …, in clock ticks (USER_HZ: 100 a second on Linux).
            long Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds((Ticks(1) + Ticks(2) + Ticks(3) + Ticks(6) + Ticks(7)) * 10.0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
