using FieldOps.Jsonata;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Rest;

/// <summary>Checks each REST-polled source: a path, a page size, and JSONata that compiles — naming the key and the value.</summary>
public sealed class RestSourcesOptionsValidator(IOptions<FieldOps.Integration.Core.Sources.SourceAdaptersOptions> adapters) : IValidateOptions<RestSourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, RestSourcesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (source, adapter) in adapters.Value)
        {
            if (!string.Equals(adapter.Poll.Adapter, RestPollAdapter.AdapterName, StringComparison.OrdinalIgnoreCase) || !options.TryGetValue(source, out var rest))
                continue;
            var poll = rest.Poll;
            var key = $"Sources:{source}:Poll";
            if (string.IsNullOrWhiteSpace(poll.Path))
                failures.Add($"{key}:Path: is required.");
            if (poll.PageSize < 1)
                failures.Add($"{key}:PageSize: {poll.PageSize} must be at least 1.");
            if (poll.Auth == RestAuth.Header && string.IsNullOrEmpty(poll.ApiKey))
                failures.Add($"{key}:ApiKey: is required for Auth Header (set Sources__{source}__Poll__ApiKey in the environment).");
            foreach (var (field, expression) in new[] { ("Items", poll.Items), ("NextCursor", poll.NextCursor), ("Id", poll.Id), ("Version", poll.Version), ("Payload", poll.Payload) })
            {
                try
                {
                    JsonataExpression.Compile(expression);
                }
                catch (JsonataException ex)
                {
                    failures.Add($"{key}:{field}: '{expression}' is not valid JSONata: {ex.Message}");
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
