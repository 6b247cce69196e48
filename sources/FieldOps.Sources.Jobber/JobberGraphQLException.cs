namespace FieldOps.Sources.Jobber;

/// <summary>Jobber answered with GraphQL errors other than throttling (the first error's message and code).</summary>
public sealed class JobberGraphQLException : Exception
{
    public JobberGraphQLException() { }

    public JobberGraphQLException(string message) : base(message) { }

    public JobberGraphQLException(string message, Exception innerException) : base(message, innerException) { }
}
