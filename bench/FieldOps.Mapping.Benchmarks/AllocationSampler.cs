using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace FieldOps.Mapping.Benchmarks;

/// <summary>
/// The runtime's own allocation sampling (an AllocationTick event per ~100 KB allocated, naming the type that crossed it)
/// and the reason of every collection, read in-process: where a part's allocations come from, without a trace tool.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new();
    private readonly ConcurrentDictionary<string, int> _collections = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
            return;
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true)
        {
            var type = payload[names.IndexOf("TypeName")] as string ?? "?";
            var large = Convert.ToInt32(payload[names.IndexOf("AllocationKind")], System.Globalization.CultureInfo.InvariantCulture) == 1;
            var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
            _bytes.AddOrUpdate(large ? "LOH " + type : type, amount, (_, b) => b + amount);
        }
        else if (eventData.EventName?.StartsWith("GCStart", StringComparison.Ordinal) == true)
        {
            var key = $"gen{payload[names.IndexOf("Depth")]} reason {payload[names.IndexOf("Reason")]} type {payload[names.IndexOf("Type")]}";
            _collections.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }

    // A closure's class is named only by its number: the methods' types that declare one of that name.
    private static string DeclaredIn(string type) => !type.StartsWith("<>c__DisplayClass", StringComparison.Ordinal) ? "" :
        " in " + string.Join(", ", AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("FieldOps", StringComparison.Ordinal) == true)
            .SelectMany(a => a.GetTypes()).Where(t => t.Name == type && t.DeclaringType is not null).Select(t => t.DeclaringType!.Name));

    public void Print(int events)
    {
        var total = _bytes.Values.Sum();
        Console.WriteLine($"allocations sampled: {total / 1024.0 / events:F0} KB/event; the top types:");
        foreach (var (type, bytes) in _bytes.OrderByDescending(b => b.Value).Take(25))
            Console.WriteLine($"  {bytes / 1024.0 / events,8:F1} KB/event  {100.0 * bytes / total,5:F1} %  {type}{DeclaredIn(type)}");
        foreach (var (key, count) in _collections.OrderBy(c => c.Key))
            Console.WriteLine($"  {count} collections: {key}");
    }
}
