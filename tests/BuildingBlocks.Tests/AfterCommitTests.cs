using System.Diagnostics;
using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Tests.Infrastructure;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>Wake-up signals and other after-commit work fire only once the change is there for others to see.</summary>
public sealed class AfterCommitTests(LocalBrokerAndDatabase servers) : IAsyncLifetime
{
    private MigratedDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await MigratedDatabase.CreateAsync(servers);

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_callback_runs_after_commit_when_the_change_is_visible_to_other_connections()
    {
        var proposalId = Guid.NewGuid();
        var seenByCallback = new List<long>();
        await using (var uow = await _database.UnitOfWork.BeginAsync(Ct))
        {
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO proposals (id, title) VALUES (@proposalId, 'Losa deportiva')", new { proposalId }, Ct));
            uow.AfterCommit(() =>
            {
                // What a woken worker would do first: look for the row, on a connection of its own.
                using var other = _database.DataSource.OpenConnection();
                seenByCallback.Add(other.ExecuteScalar<long>("SELECT count(*) FROM proposals WHERE id = @proposalId", new { proposalId }));
            });
            uow.AfterCommit(() => seenByCallback.Add(-1));
            Assert.Empty(seenByCallback);
            await uow.CommitAsync(Ct);
        }

        Assert.Equal([1, -1], seenByCallback);
    }

    [Fact]
    public async Task A_callback_never_runs_when_the_unit_of_work_is_abandoned_or_its_commit_is_refused()
    {
        var ran = 0;
        await using (var abandoned = await _database.UnitOfWork.BeginAsync(Ct))
        {
            abandoned.AfterCommit(() => ran++);
        }
        await _database.Db.ExecuteAsync("INSERT INTO proposals (id, title) VALUES (gen_random_uuid(), 'Agua potable')");
        await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO proposals (id, title) VALUES (gen_random_uuid(), 'Agua potable')", ct: Ct));
            uow.AfterCommit(() => ran++);
            await uow.CommitAsync(Ct);
        });

        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task The_outbox_relay_is_woken_after_the_commit_of_an_event_and_not_by_a_refused_one()
    {
        await _database.Db.ExecuteAsync("INSERT INTO proposals (id, title) VALUES (gen_random_uuid(), 'Agua potable')");
        await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO proposals (id, title) VALUES (gen_random_uuid(), 'Agua potable')", ct: Ct));
            uow.Publish(SampleEvents.ProcessOpened("Refused"));
            await uow.CommitAsync(Ct);
        });
        // Not notified: the relay's wait runs to its full poll interval.
        var clock = Stopwatch.StartNew();
        await _database.Signal.WaitAsync(TimeSpan.FromMilliseconds(400), Ct);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(350), $"The relay was woken by a commit that failed ({clock.ElapsedMilliseconds} ms)");

        await using (var uow = await _database.UnitOfWork.BeginAsync(Ct))
        {
            uow.Publish(SampleEvents.ProcessOpened("Committed"));
            await uow.CommitAsync(Ct);
        }
        clock.Restart();
        await _database.Signal.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The relay was not woken by the commit ({clock.ElapsedMilliseconds} ms)");
    }
}
