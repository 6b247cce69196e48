namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// The flow the multi-process tests and benches route through: each Jobber job completed plans two operations through
/// the generic HTTP connector to <see cref="EffectTarget"/>, on one of <see cref="Partitions"/> partition keys: an
/// idempotent PUT (<c>things</c>) and a non-idempotent note (<c>notes</c>, sent at most once, effect-checked after a
/// crash).
/// </summary>
public static class ClusterFlows
{
    /// <summary>How many partition keys the jobs spread over.</summary>
    public const int Partitions = 50;

    /// <summary>The flow file (name → YAML), for <see cref="ClusterMappings.Write"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> JobCompleted = new Dictionary<string, string>
    {
        ["cluster-job-completed.yaml"] = $"""
            kind: flow
            name: cluster-job-completed
            when:
              type: JobCompleted
            operations:
              - key: thing
                connector: http
                operation: upsert
                objectType: job
                idempotencyKey: "'job-' & entity.number"
                partitionKey: "'order:' & $string($number(entity.number) % {Partitions})"
                fields:
                  number: entity.number
                params:
                  endpoint: "'things'"
              - key: note
                connector: http
                operation: note
                objectType: job
                idempotencyKey: "'note-' & entity.number"
                partitionKey: "'order:' & $string($number(entity.number) % {Partitions})"
                fields:
                  number: entity.number
                params:
                  endpoint: "'notes'"
            """,
    };

    /// <summary>The effects the target must have for job <paramref name="jobNumber"/>.</summary>
    public static IEnumerable<string> EffectsOf(string jobNumber) => [$"things:job-{jobNumber}", $"notes:note-{jobNumber}"];
}
