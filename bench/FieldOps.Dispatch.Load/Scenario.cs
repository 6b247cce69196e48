namespace FieldOps.Dispatch.Load;

/// <summary>
/// What one run delivers and how the target answers: generic PUTs (a share failing with 503, optionally
/// non-idempotent), or BambooHR hours through the bulk endpoint with <see cref="Batch"/> delivery on or off and the
/// target taking <see cref="Latency"/> per call.
/// </summary>
internal sealed record Scenario(double FailureShare = 0, bool NonIdempotent = false, bool Hours = false, bool Batch = true, TimeSpan Latency = default)
{
    public string Title => Hours
        ? $"BambooHR hours, batch delivery {(Batch ? "on" : "off")}, target answering {(Latency > TimeSpan.Zero ? $"after {Latency.TotalMilliseconds:F0} ms" : "at once")}"
        : $"target failing {FailureShare:P0} of calls (503){(NonIdempotent ? ", every operation non-idempotent (in-flight mark)" : "")}";
}
