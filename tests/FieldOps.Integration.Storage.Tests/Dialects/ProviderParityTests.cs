using System.Reflection;
using FieldOps.Integration.Storage.Tests.Credentials;
using FieldOps.Integration.Storage.Tests.Inbox;
using FieldOps.Integration.Storage.Tests.Outbox;

namespace FieldOps.Integration.Storage.Tests.Dialects;

/// <summary>Each provider's test class runs every body of its contract: SQL Server's the same as SQLite's and PostgreSQL's.</summary>
public sealed class ProviderParityTests
{
    public static TheoryData<Type, Type[]> Contracts => new()
    {
        { typeof(InboxStoreContract), [typeof(SqliteInboxStoreTests), typeof(PostgresInboxStoreTests), typeof(SqlServerInboxStoreTests)] },
        { typeof(OutboxStoreContract), [typeof(SqliteOutboxStoreTests), typeof(PostgresOutboxStoreTests), typeof(SqlServerOutboxStoreTests)] },
        { typeof(TokenStoreContract), [typeof(SqliteTokenStoreTests), typeof(PostgresTokenStoreTests), typeof(SqlServerTokenStoreTests)] },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void EveryProviderClass_InheritsTheContract_AndRunsEachOfItsBodies(Type contract, Type[] providers)
    {
        var bodies = contract.GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m.IsFamily && m.ReturnType == typeof(Task) && m.GetParameters().Length == 0).Select(m => m.Name).ToHashSet();
        Assert.NotEmpty(bodies);
        foreach (var provider in providers)
        {
            Assert.True(provider.IsSubclassOf(contract), $"{provider.Name} does not inherit {contract.Name}");
            var facts = provider.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttributes<FactAttribute>().Any()).ToList();
            Assert.Equal(bodies.Count, facts.Count);
        }
    }
}
