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

    public MappingCatalog(IOptions<MappingOptions> options, IHostEnvironment environment, ILogger<MappingCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _logger = logger;
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

    /// <summary>Loads the folder; true when the new set is now in force.</summary>
    public bool Reload()
    {
        lock (_lock)
        {
            var result = MappingLoader.Load(Root);
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
