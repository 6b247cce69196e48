using FieldOps.Integration.Host.Tests.Admin;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FieldOps.Integration.Host.Tests.Ops.Browser;

/// <summary>
/// The operations page in headless Chromium (Debian's package, through Playwright) against the real <c>fieldops</c>
/// process: log in by keyboard, find an event, replay a group, open a re-route's dry run; every control labelled; a
/// screenshot of each page under <c>FIELDOPS_TEST_ARTIFACTS</c> (CI: the test results directory) or <c>TestResults/ops-screenshots</c>.
/// </summary>
[Collection(OpsTimingCollection.Name)]
public sealed class OpsBrowserTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new();
    private FieldOpsProcess? _process;

    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("FIELDOPS_TEST_ARTIFACTS") is { Length: > 0 } root
            ? Path.Combine(root, "ops-screenshots")
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "ops-screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.ExecutablePath))
            return;
        _process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["Admin__ApiKey"] = OpsClient.Key,
            ["Ops__Enabled"] = "true",
        });
        await _process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    [ChromiumFact]
    public async Task Admin_LogsInFindsAnEventReplaysAGroupAndOpensAReroute_ByKeyboard()
    {
        var (eventId, _) = await DeadLetterSeed.AddAsync(_directory.DatabasePath, "Transient");
        await DeadLetterSeed.AddAsync(_directory.DatabasePath, "Transient");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox"], // root in a container
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _process!.BaseAddress.ToString() });
        Directory.CreateDirectory(ScreenshotDirectory);

        await page.GotoAsync("/ops");
        Assert.EndsWith("/ops/login?ReturnUrl=%2Fops", page.Url, StringComparison.Ordinal);
        await ShotAsync(page, "login");
        // By keyboard only: skip link, name, key, then Enter submits.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Dana Admin");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(OpsClient.Key);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/ops");
        Assert.Contains("Log out Dana Admin", await page.InnerTextAsync("nav"), StringComparison.Ordinal);
        await ShotAsync(page, "overview");

        await page.GetByRole(AriaRole.Link, new() { Name = "Find an event" }).ClickAsync();
        await page.GetByLabel("Event id, field-service entity id or target id").FillAsync(eventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/ops/events?q={eventId}");
        Assert.Equal($"Event {eventId}", await page.InnerTextAsync("h1"));
        await ShotAsync(page, "event");

        await page.GetByRole(AriaRole.Link, new() { Name = "Re-route through the current mappings (dry run first)" }).ClickAsync();
        Assert.Contains("Result:", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await ShotAsync(page, "reroute-dry-run");

        await page.GotoAsync("/ops");
        await page.GetByRole(AriaRole.Link, new() { Name = "Replay the group offline customer-things Transient" }).ClickAsync();
        await ShotAsync(page, "replay-group-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay 2 dead letters" }).ClickAsync();
        Assert.Contains("replayed 2 dead letters", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await ShotAsync(page, "replay-group-done");

        await page.GotoAsync("/ops/audit");
        Assert.Contains("replay-group", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await ShotAsync(page, "audit");

        // 200% zoom on a 1280-pixel window is a 640-CSS-pixel viewport: nothing may need scrolling sideways.
        await page.SetViewportSizeAsync(640, 400);
        foreach (var (path, name) in new[] { ("/ops", "overview-200"), ($"/ops/events?q={eventId}", "event-200"), ("/ops/audit", "audit-200") })
        {
            await page.GotoAsync(path);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} at 200%: {overflow} px wider than the window");
            await ShotAsync(page, name);
        }
    }

    /// <summary>Asserts every visible control of the page has a name, then saves a full-page screenshot.</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input:not([type=hidden]),textarea,select,button,a')]" +
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).map(e => e.outerHTML)");
        Assert.True(unlabelled.Length == 0, $"{name}: controls without a label: {string.Join(", ", unlabelled)}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();
}
