using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Tests.Infrastructure;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>A state change and the events it raises are durable together or not at all.</summary>
public sealed class UnitOfWorkTests(LocalBrokerAndDatabase servers) : SingleServiceTest(servers, "uow")
{
    [Fact]
    public async Task An_event_of_a_unit_of_work_disposed_without_commit_is_neither_stored_nor_published()
    {
        var abandoned = SampleEvents.ProcessOpened("Abandoned");
        var proposalId = Guid.NewGuid();
        await using (var uow = await _service.UnitOfWork.BeginAsync(Ct))
        {
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO proposals (id, title) VALUES (@proposalId, 'Abandoned')", new { proposalId }, Ct));
            uow.Publish(abandoned);
        }

        // A later committed event goes through the same relay; once it arrives, the relay has had its chance.
        var marker = SampleEvents.ProcessOpened("Marker");
        await using (var uow = await _service.UnitOfWork.BeginAsync(Ct))
        {
            uow.Publish(marker);
            await uow.CommitAsync(Ct);
        }
        await Eventually.Until("the marker event to be consumed", Timeout, () => _db.EffectsOfAsync(marker.EventId), n => n == 1);

        Assert.Null(await _db.OutboxEntryAsync(abandoned.EventId));
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM proposals WHERE id = @proposalId", new { proposalId }));
        Assert.Empty(_deliveries.Of(abandoned.EventId));
        Assert.Equal(0, await _db.EffectsOfAsync(abandoned.EventId));
    }

    [Fact]
    public async Task A_committed_state_change_and_its_event_are_written_by_one_transaction()
    {
        var opened = SampleEvents.ProcessOpened("Presupuesto participativo 2027");
        var proposalId = Guid.NewGuid();
        await using (var uow = await _service.UnitOfWork.BeginAsync(Ct))
        {
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO proposals (id, title) VALUES (@proposalId, 'Pistas y veredas')", new { proposalId }, Ct));
            uow.Publish(opened);

            // Nothing is visible to others before the commit: not the change, not the event.
            Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM proposals WHERE id = @proposalId", new { proposalId }));
            Assert.Null(await _db.OutboxEntryAsync(opened.EventId));

            await uow.CommitAsync(Ct);
        }

        var entry = await _db.OutboxEntryAsync(opened.EventId);
        Assert.NotNull(entry);
        var proposalWrittenBy = await _db.ScalarAsync<long>("SELECT xmin::text::bigint FROM proposals WHERE id = @proposalId", new { proposalId });
        Assert.Equal(proposalWrittenBy, entry.WrittenByTransaction);
        Assert.Equal(typeof(ProcessOpened).FullName, entry.EventType);
        Assert.Contains("Presupuesto participativo 2027", entry.Payload);
    }

    [Fact]
    public async Task A_commit_refused_by_the_database_reports_the_refusal_and_keeps_neither_change_nor_event()
    {
        await _db.ExecuteAsync("INSERT INTO proposals (id, title) VALUES (@id, 'Agua potable')", new { id = Guid.NewGuid() });
        var opened = SampleEvents.ProcessOpened("Refused at commit");
        var proposalId = Guid.NewGuid();

        // The duplicate title is only checked at COMMIT (deferred constraint), after the outbox insert succeeded.
        var refusal = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var uow = await _service.UnitOfWork.BeginAsync(Ct);
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO proposals (id, title) VALUES (@proposalId, 'Agua potable')", new { proposalId }, Ct));
            uow.Publish(opened);
            await uow.CommitAsync(Ct);
        });

        Assert.Equal(PostgresErrorCodes.UniqueViolation, refusal.SqlState);
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM proposals WHERE id = @proposalId", new { proposalId }));
        Assert.Null(await _db.OutboxEntryAsync(opened.EventId));
    }
}
