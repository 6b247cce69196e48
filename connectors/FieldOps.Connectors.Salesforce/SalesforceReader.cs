using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Text;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// The reads a flow's <c>enrich</c> step may make of Salesforce: <c>query</c>, a SOQL query in <c>params.soql</c>
/// whose <c>:name</c> placeholders are filled from <c>params.binds</c> — strings quoted with <c>\</c> and <c>'</c>
/// escaped, numbers and booleans as they are — so event data never becomes SOQL syntax. The answer is the query
/// result (<c>{totalSize, done, records}</c>, first page only). <c>describe</c> (<c>params.objectType</c>) answers the
/// sObject's describe, for <c>fieldops validate --online</c>; each counts as one API call against the org's daily limit.
/// </summary>
public sealed partial class SalesforceReader(ISalesforceApi api, IOptions<SalesforceOptions> options, SalesforceApiUsage usage) : IConnectorReader
{
    private readonly SalesforceOptions _options = options.Value;

    public async Task<ConnectorReadResult> ReadAsync(string connection, string read, JsonObject parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (read is not ("query" or "describe"))
            return ConnectorReadResult.Failed($"salesforce reads 'query' (SOQL) or 'describe', not '{read}'");
        if (read == "describe")
        {
            if (parameters["objectType"]?.ToString() is not { Length: > 0 } sObject)
                return ConnectorReadResult.Failed("params.objectType is required (e.g. Account)");
            using var described = await api.DescribeAsync(_options.ApiVersion, sObject, cancellationToken).ConfigureAwait(false);
            return await AnswerAsync(described, cancellationToken).ConfigureAwait(false);
        }
        if (parameters["soql"]?.ToString() is not { Length: > 0 } template)
            return ConnectorReadResult.Failed("params.soql is required");
        if (!TryBind(template, parameters["binds"] as JsonObject, out var soql, out var problem))
            return ConnectorReadResult.Failed(problem);
        using var response = await api.QueryAsync(_options.ApiVersion, soql, cancellationToken).ConfigureAwait(false);
        return await AnswerAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConnectorReadResult> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return ConnectorReadResult.From(SalesforceErrorClassifier.Classify((int)response.StatusCode, body, _options, usage));
        }
        // Half a surrogate pair (a text the vendor cut through an emoji) read as U+FFFD: as it is, the answer could not be
        // written into the event's enrichment (System.Text.Json will not write such a string) and the event would park.
        return ConnectorReadResult.Of(JsonNode.Parse(JsonSurrogates.Mend(body)));
    }

    /// <summary>Fills every <c>:name</c> placeholder (outside string literals) from <paramref name="binds"/>.</summary>
    internal static bool TryBind(string template, JsonObject? binds, out string soql, out string problem)
    {
        var text = new StringBuilder(template.Length);
        problem = "";
        var inLiteral = false;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\'' && (i == 0 || template[i - 1] != '\\'))
                inLiteral = !inLiteral;
            if (inLiteral || c != ':' || PlaceholderName().Match(template, i + 1) is not { Success: true, Index: var at } match || at != i + 1)
            {
                text.Append(c);
                continue;
            }
            var name = match.Value;
            if (binds is null || !binds.TryGetPropertyValue(name, out var value))
            {
                soql = "";
                problem = $"params.soql uses :{name}, which params.binds does not give";
                return false;
            }
            text.Append(Literal(value));
            i += name.Length;
        }
        soql = text.ToString();
        return true;
    }

    private static string Literal(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        // A JSON number is digits, sign, point and exponent only: safe as it is written.
        JsonValueKind.Number => value.ToJsonString(),
        _ => "'" + value.ToString().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
    };

    [GeneratedRegex("[A-Za-z][A-Za-z0-9_]*")]
    private static partial Regex PlaceholderName();
}
