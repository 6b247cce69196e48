namespace FieldOps.Integration.Core.Storage;

/// <summary>
/// Who this process is among the workers sharing one database: its outbox leases, its Quartz node, the attempts it
/// records and what <c>/health/ready</c> and <c>/metrics</c> report carry this id. One per process (per service
/// container in tests).
/// </summary>
public sealed class InstanceIdentity
{
    /// <summary>The configuration key of the optional operator-given name (<c>Instance:Name</c>).</summary>
    public const string NameKey = "Instance:Name";

    /// <summary>
    /// A new id: <c>{name}:{process id}:{6 random hex digits}</c>, the name being <paramref name="name"/> or else the
    /// machine name. The process id and the random part keep it unique even when two processes are given one name, and
    /// make a restarted process a new instance (its predecessor's leases are not its own).
    /// </summary>
    public InstanceIdentity(string? name = null)
    {
        Name = string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name.Trim();
        Id = $"{Name}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
    }

    /// <summary>The operator-given name, or the machine name.</summary>
    public string Name { get; }

    /// <summary>The id, unique among running instances.</summary>
    public string Id { get; }

    public override string ToString() => Id;
}
