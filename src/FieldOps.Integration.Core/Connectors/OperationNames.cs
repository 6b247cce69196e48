namespace FieldOps.Integration.Core.Connectors;

/// <summary>The operation verbs a flow may name.</summary>
public static class OperationNames
{
    public const string Upsert = "upsert";
    public const string Create = "create";
    public const string Update = "update";
    public const string Send = "send";
    public const string Note = "note";
    public const string LogTime = "log-time";

    /// <summary>Every verb, for validation messages.</summary>
    public static readonly IReadOnlyList<string> All = [Upsert, Create, Update, Send, Note, LogTime];
}
