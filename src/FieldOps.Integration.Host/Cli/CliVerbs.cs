namespace FieldOps.Integration.Host.Cli;

/// <summary>Every verb of <c>fieldops</c> with its help text. Add a verb here: the dispatcher and the help follow.</summary>
internal static class CliVerbs
{
    private static readonly CliOption Json = new("--json", null, "print JSON instead of a table");
    private static readonly CliOption MappingsOption = new("--mappings", "path", "the mappings folder (default: Mappings:Path, else mappings/)");

    private static readonly CliOption[] Filters =
    [
        new("--connector", "name", "only this connector (salesforce, hubspot, quickbooks, bamboohr, http)"),
        new("--flow", "name", "only this flow"),
        new("--class", "outcome", "only this outcome class: Permanent, Business, Configuration, Transient, Throttled, Conflict, OutcomeUnknown, UnresolvedXref"),
        new("--from", "time", "dead-lettered at or after this ISO 8601 time"),
        new("--to", "time", "dead-lettered before this ISO 8601 time"),
    ];

    public static readonly CliVerb Run = new("run", "Start the service: webhooks, router, dispatcher, health, metrics and the admin API (the default).",
        "fieldops [run] [--urls <url>] [--Section:Key=value ...]")
    {
        Run = RunCommand.RunAsync,
        AcceptsConfiguration = true,
        Details = "Reads appsettings.json and mappings/ in the current folder and keeps its data in data/ (Store:ConnectionString).\n"
            + "A port that is taken is one line and exit code 2; a bad setting is one line naming the key and exit code 2.",
        Options =
        [
            new("--urls", "url", $"where to listen (default {Startup.FieldOpsApplication.DefaultUrl}); several separated by ';'"),
            new("--Section:Key=value", null, "any configuration key, over appsettings.json and the environment (e.g. --Logging:Level=Debug)"),
            new("--environment", "name", "the host environment") { Hidden = true },
            new("--contentRoot", "path", "the content root") { Hidden = true },
            new("--applicationName", "name", "the application name") { Hidden = true },
        ],
        Examples = ["fieldops run --urls http://0.0.0.0:8080", "fieldops --Logging:Format=json"],
    };

    public static readonly CliVerb Root = new("fieldops", "FieldOps.Integration: field-service events mapped and delivered to CRM, accounting and HR.",
        "fieldops <command> [options]")
    {
        Options = [new("--version", null, "print the version and exit")],
        Examples = ["fieldops validate", "fieldops connectors check quickbooks", "fieldops deadletters list --connector hubspot"],
        Verbs =
        [
            Run,
            new("validate", "Check mapping files: schema, expressions, function names, event types and fields against the targets' own schemas; each problem as file:line:column.",
                "fieldops validate [--online | --offline] [path ...]")
            {
                Run = ValidateCommand.RunAsync,
                Options =
                [
                    new("--online", null, "also read Salesforce's describe and HubSpot's properties of the objects the flows write, and cache them"),
                    new("--offline", null, "also check Salesforce and HubSpot fields against the cached schemas (their age is shown)"),
                ],
                Arguments = [("path", "a mapping file or folder; several allowed (default: Mappings:Path, else mappings/)")],
                Details = "QuickBooks and BambooHR fields are always checked (their XSD and OpenAPI ship in the build). --online reads Salesforce's "
                    + "describe and HubSpot's properties through the configured connectors (read-only calls, counted against their API limits) and caches "
                    + "them in the store; --offline checks against that cache and shows its age. Exit codes: 0 valid (warnings allowed), 1 problems found, "
                    + "2 usage or configuration error.",
                Examples = ["fieldops validate", "fieldops validate --online", "fieldops validate --offline mappings/flows/customer-salesforce.yaml"],
            },
            new("map", "Dry-run one payload through the source profile and flows and print the operations as JSON (no store).",
                "fieldops map --event <file> [--source <name>] [--mappings <path>] [--enrich <file>]")
            {
                Run = MapCommand.RunAsync,
                Options =
                [
                    new("--event", "file", "the payload, as the source posts it (required)"),
                    new("--source", "name", "the source whose profile applies (default canonical); its Kind comes from Sources:{name}:Kind"),
                    MappingsOption,
                    new("--enrich", "file", "answers to the flows' enrich reads, a JSON object by step name (nothing is read in a dry run)"),
                ],
                Examples = ["fieldops map --event mappings/samples/jobber-job-closed.json --source jobber"],
            },
            new("test", "Run the mapping tests in mappings/tests/ and print a diff per failure.", "fieldops test [path] [--update]")
            {
                Run = TestCommand.RunAsync,
                Arguments = [("path", "the mappings folder (default: Mappings:Path, else mappings/)")],
                Options = [new("--update", null, "rewrite each failing test's expected operations with what the mappings produce now (after you reviewed the diff)")],
                Details = "Exit codes: 0 all passed (or updated), 1 failures, 2 usage error.",
                Examples = ["fieldops test", "fieldops test --update"],
            },
            new("connectors", "Check connector credentials, or connect QuickBooks.", "fieldops connectors <check|connect> ...")
            {
                Examples = ["fieldops connectors check", "fieldops connectors connect quickbooks --refresh-token \"$TOKEN\""],
                Verbs =
                [
                    new("check", "Live check of each configured connector: a token call and one cheap read.", "fieldops connectors check [name] [--Section:Key=value ...]")
                    {
                        Run = a => ConnectorsCommand.RunAsync(["check", .. a]),
                        AcceptsConfiguration = true,
                        Arguments = [("name", "one connector: salesforce, hubspot, quickbooks, bamboohr (default: every configured one)")],
                        Details = "Exit codes: 0 every check passed, 1 something failed, 2 usage or configuration error.",
                        Examples = ["fieldops connectors check", "fieldops connectors check salesforce"],
                    },
                    new("connect", "Store a QuickBooks grant (encrypted) and clear a broken mark.",
                        "fieldops connectors connect quickbooks [--code <code> --redirect-uri <uri> | --refresh-token <token>]")
                    {
                        Run = a => ConnectorsCommand.RunAsync(["connect", .. a]),
                        Arguments = [("connector", "quickbooks")],
                        Options =
                        [
                            new("--code", "code", "the authorization code from Intuit's consent redirect"),
                            new("--redirect-uri", "uri", "the redirect URI the code was issued for"),
                            new("--refresh-token", "token", "a refresh token instead of a code (without either, it is prompted for)"),
                        ],
                        Examples = ["fieldops connectors connect quickbooks --refresh-token \"$TOKEN\""],
                    },
                ],
            },
            new("deadletters", "List, show, replay or discard dead letters, directly on the configured store.", "fieldops deadletters <list|groups|show|replay|discard> ...")
            {
                Details = "Exit codes: 0 done, 1 nothing matched, 2 usage or configuration error (also when the database does not exist).",
                Examples = ["fieldops deadletters list", "fieldops deadletters replay --all"],
                Verbs =
                [
                    new("list", "Dead letters, newest first.", "fieldops deadletters list [filters] [--limit 50] [--before <seq>] [--json]")
                    {
                        Run = a => DeadLettersCommand.RunAsync(["list", .. a]),
                        Options = [.. Filters, new("--limit", "n", "at most this many (default 50)"), new("--before", "seq", "the cursor printed as 'next'"), Json],
                        Examples = ["fieldops deadletters list --connector quickbooks --class Permanent --from 2026-11-01T00:00Z"],
                    },
                    new("groups", "Dead-letter counts per connector, flow and outcome class.", "fieldops deadletters groups [filters] [--json]")
                    {
                        Run = a => DeadLettersCommand.RunAsync(["groups", .. a]),
                        Options = [.. Filters, Json],
                        Examples = ["fieldops deadletters groups --connector hubspot"],
                    },
                    new("show", "One dead letter and its event's whole life.", "fieldops deadletters show <id>")
                    {
                        Run = a => DeadLettersCommand.RunAsync(["show", .. a]),
                        Arguments = [("id", "the dead letter's outbox message id")],
                        Examples = ["fieldops deadletters show 7f3c…"],
                    },
                    new("replay", "Put dead letters back in the queue (attempts reset).", "fieldops deadletters replay <id> | replay [filters] [--max 10000] | replay --all")
                    {
                        Run = a => DeadLettersCommand.RunAsync(["replay", .. a]),
                        Arguments = [("id", "one dead letter (or give filters, or --all)")],
                        Options = [.. Filters, new("--max", "n", "replay at most this many (default 10000)"), new("--all", null, "every dead letter")],
                        Examples = ["fieldops deadletters replay --connector hubspot --flow customer-hubspot --max 5000"],
                    },
                    new("discard", "Give up on a dead letter, with a reason; releases the rows behind it.", "fieldops deadletters discard <id> --reason <text>")
                    {
                        Run = a => DeadLettersCommand.RunAsync(["discard", .. a]),
                        Arguments = [("id", "the dead letter's outbox message id")],
                        Options = [new("--reason", "text", "why (required; kept in the history)")],
                        Examples = ["fieldops deadletters discard 7f3c… --reason \"customer merged by hand\""],
                    },
                ],
            },
            new("reroute", "Map an inbox event again with the mapping files as they are now.", "fieldops reroute <inboxEventId> [--dry-run] [--json] [--mappings <path>]")
            {
                Run = RerouteCommand.RunAsync,
                Arguments = [("inboxEventId", "the event's id (as in the logs' InboxEventId)")],
                Options = [new("--dry-run", null, "show what would change, write nothing"), Json, MappingsOption],
                Details = "Exit codes: 0 routed, 1 still parked, unmatched or missing, 2 usage or configuration error.",
                Examples = ["fieldops reroute 1234 --dry-run"],
            },
            new("sources", "Each source's watermark, lag, last run, last error and records; rewind a polled source.", "fieldops sources [list | rewind <name> --to <time>]")
            {
                Run = SourcesCommand.RunAsync,
                Examples = ["fieldops sources", "fieldops sources rewind acme --to 2026-01-01T00:00:00Z"],
                Verbs =
                [
                    new("list", "The table of sources (the default).", "fieldops sources [list]")
                    {
                        Run = a => SourcesCommand.RunAsync(["list", .. a]),
                        Examples = ["fieldops sources"],
                    },
                    new("rewind", "The next poll of a polled source replays from a time (duplicates are skipped).", "fieldops sources rewind <name> --to <time>")
                    {
                        Run = a => SourcesCommand.RunAsync(["rewind", .. a]),
                        Arguments = [("name", "a polled source (Sources:{name}:Poll:Adapter)")],
                        Options = [new("--to", "time", "ISO 8601 time, e.g. 2026-01-01T00:00:00Z (required)")],
                        Examples = ["fieldops sources rewind acme --to 2026-01-01T00:00:00Z"],
                    },
                ],
            },
        ],
    };
}
