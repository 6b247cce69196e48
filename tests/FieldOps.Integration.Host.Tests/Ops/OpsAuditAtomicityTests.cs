using System.Net;
using Dapper;
using FieldOps.Integration.Host.Tests.Admin;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Ops;

/// <summary>
/// An action and its audit entry are one transaction: a SQLite trigger makes one of the two writes fail, and then
/// neither is kept. The admin API writes to the same audit log, naming the key as the actor.
/// </summary>
public sealed class OpsAuditAtomicityTests : IDisposable
{
    private readonly FieldOpsFactory _factory = new(OpsClient.Settings);

    [Fact]
    public async Task Replay_WhenTheAuditWriteFails_IsNotKept()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        await ExecuteAsync("CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END");
        var page = $"/ops/deadletters/{ids[0]}/replay";
        Assert.NotEqual(HttpStatusCode.OK, await StatusOfAsync(() => client.PostAsync(page, page)));
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        Assert.Equal("blocked", DeadLetterSeed.State(_factory.DatabasePath, ids[1]));
    }

    [Fact]
    public async Task Discard_WhenTheAuditWriteFails_IsNotKept()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        await ExecuteAsync("CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END");
        var page = $"/ops/deadletters/{ids[0]}/discard";
        Assert.NotEqual(HttpStatusCode.OK, await StatusOfAsync(() => client.PostAsync(page, page, ("reason", "merged by hand"))));
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
    }

    [Fact]
    public async Task Replay_WhenTheStoreWriteFails_LeavesNoAuditEntry()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        await ExecuteAsync("CREATE TRIGGER replay_fails BEFORE UPDATE ON outbox WHEN NEW.state = 'pending' BEGIN SELECT RAISE(ABORT, 'store refused'); END");
        var page = $"/ops/deadletters/{ids[0]}/replay";
        Assert.NotEqual(HttpStatusCode.OK, await StatusOfAsync(() => client.PostAsync(page, page)));
        Assert.Equal("dead", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM audit_log"));
    }

    [Fact]
    public async Task AdminApiReplay_IsInTheSameAuditLog_NamingTheKey()
    {
        using var client = new OpsClient(_factory);
        (await client.LoginAsync()).Dispose();
        var (_, ids) = await DeadLetterSeed.AddAsync(_factory.DatabasePath);
        using var api = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/deadletters/{ids[0]}/replay");
        request.Headers.Add("X-Api-Key", OpsClient.Key);
        using (var answer = await api.SendAsync(request))
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("pending", DeadLetterSeed.State(_factory.DatabasePath, ids[0]));
        var audit = await client.Http.GetStringAsync("/ops/audit");
        Assert.Contains("<td>admin API key (", audit, StringComparison.Ordinal);
        Assert.Contains($"<td>replay</td><td>{ids[0]}</td><td>replayed 1 dead letter</td>", audit, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusOfAsync(Func<Task<HttpResponseMessage>> post)
    {
        try
        {
            using var response = await post();
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is SqliteException or HttpRequestException or InvalidOperationException)
        {
            return HttpStatusCode.InternalServerError; // the test server passes the store's exception through
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await db.ExecuteAsync(sql);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var db = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        return await db.ExecuteScalarAsync<long>(sql);
    }

    public void Dispose() => _factory.Dispose();
}
