namespace FieldOps.Integration.Core.Connectors;

/// <summary>A live check of one connector's credentials and reachability, for <c>fieldops connectors check</c>.</summary>
public interface IConnectionCheck
{
    /// <summary>The connector name, lower case.</summary>
    string Name { get; }

    /// <summary>Runs the token call and one cheap read; one step per thing checked.</summary>
    Task<IReadOnlyList<ConnectionCheckStep>> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>One thing a connection check tried, whether it worked, and what it saw.</summary>
/// <param name="What">e.g. "token", "read".</param>
/// <param name="Ok">True when it worked.</param>
/// <param name="Detail">What it saw (never a secret).</param>
public sealed record ConnectionCheckStep(string What, bool Ok, string Detail);
