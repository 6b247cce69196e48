using FieldOps.Integration.Core.Mapping.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// The mapping set in force. A reload replaces it only when every file is valid; a refused reload keeps the previous
/// set, logs each problem and keeps them for <c>/health/ready</c>.
/// </summary>
public sealed class MappingCatalog
{
    private readonly ILogger<MappingCatalog> _logger;
    private readonly Lock _lock = new();
    private volatile MappingSet? _current;
    private volatile IReadOnlyList<MappingDiagnostic> _refused = [];

    private readonly TargetSchemas.ITargetSchemaCache? _schemaCache;

    /// <summary>
    /// Flows are checked against the shipped target schemas and, when <paramref name="schemaCache"/> is given, the
    /// Salesforce and HubSpot schemas an earlier <c>fieldops validate --online</c> cached in the store.
    /// </summary>
    public MappingCatalog(IOptions<MappingOptions> options, IHostEnvironment environment, ILogger<MappingCatalog> logger, TargetSchemas.ITargetSchemaCache? schemaCache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _logger = logger;
        _schemaCache = schemaCache;
        Root = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Path));
        Reload();
    }

    /// <summary>The mappings folder, absolute.</summary>
    public string Root { get; }

    /// <summary>The set in force, or null when no valid set was ever loaded.</summary>
    public MappingSet? Current => _current;

    /// <summary>The problems of the last refused reload; empty when the last reload succeeded.</summary>
    public IReadOnlyList<MappingDiagnostic> Refused => _refused;

    /// <summary>The content hash of the folder as last loaded (good or refused).</summary>
    public string LastSeenHash { get; private set; } = "";

    private TargetSchemas.TargetSchemaSet Schemas()
    {
        if (_schemaCache is null)
            return TargetSchemas.TargetSchemaSet.Shipped;
        try
        {
            // A reload runs on the watcher's thread (or at start): a short blocking read of a small table.
            var cached = _schemaCache.ListAsync(CancellationToken.None).GetAwaiter().GetResult();
            return TargetSchemas.TargetSchemaSet.Shipped.With(TargetSchemas.DescribedSchema.AllFromCache(cached));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            // Before the store's first migration there is no cache table: the shipped schemas still apply.
            _logger.LogDebug(ex, "Cached target schemas not read; checking against the shipped ones only");
            return TargetSchemas.TargetSchemaSet.Shipped;
        }
    }

    /// <summary>Loads the folder; true when the new set is now in force.</summary>
    public bool Reload()
    {
        lock (_lock)
        {
            var result = MappingLoader.Load(Root, Schemas());
            LastSeenHash = result.ContentHash;
            if (result.Set is null)
            {
                _refused = result.Diagnostics;
                foreach (var diagnostic in result.Diagnostics)
                    _logger.LogError("Mapping refused: {MappingProblem}", diagnostic.ToString());
                _logger.LogError("Mappings in {MappingsPath} refused; {MappingState}", Root,
                    _current is null ? "no mappings are loaded" : "the previous set stays in force");
                return false;
            }
            _current = result.Set;
            _refused = [];
            foreach (var warning in result.Diagnostics)
                _logger.LogWarning("Mapping warning: {MappingProblem}", warning.ToString());
            _logger.LogInformation("Mappings loaded from {MappingsPath}: {MappingSummary} (revision {MappingHash})", Root, result.Set.Summary, result.ContentHash);
            return true;
        }
    }
}
