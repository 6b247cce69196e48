using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Jobber;

/// <summary>Checks <see cref="JobberOptions"/> at start-up; each failure names the key and the value found.</summary>
internal sealed class JobberOptionsValidator : IValidateOptions<JobberOptions>
{
    public ValidateOptionsResult Validate(string? name, JobberOptions options)
    {
        var failures = new List<string>();
        if (!options.BaseUrl.IsAbsoluteUri || options.BaseUrl.Scheme is not ("https" or "http"))
            failures.Add($"{JobberOptions.SectionName}:BaseUrl: must be an absolute http(s) URL, found '{options.BaseUrl}'.");
        if (!DateOnly.TryParseExact(options.ApiVersion, "yyyy-MM-dd", out _))
            failures.Add($"{JobberOptions.SectionName}:ApiVersion: must be a date YYYY-MM-DD (X-JOBBER-GRAPHQL-VERSION), found '{options.ApiVersion}'.");
        if (options.Timeout <= TimeSpan.Zero)
            failures.Add($"{JobberOptions.SectionName}:Timeout: must be positive, found '{options.Timeout}'.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
