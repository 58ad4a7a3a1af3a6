using PBServices.BuildingBlocks.Outbox;
using PBServices.BuildingBlocks.Tests.Infrastructure;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>Committed events reach the broker, once, whatever the broker and the replicas do.</summary>
public sealed class OutboxRelayTests(LocalBrokerAndDatabase servers) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly DeliveryLog _deliveries = new();
    private readonly List<TestService> _services = [];
    private Database _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _db = new Database(await servers.CreateDatabaseAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }
        // A test that stopped the broker and failed must not leave it down for the next one.
        await servers.StartBrokerAsync();
    }

    [Fact]
    public async Task Committed_events_are_published_with_their_event_id_as_message_id_and_marked_sent()
    {
        var service = await StartAsync($"relay-{Guid.NewGuid():N}");
        ProcessOpened[] events = [SampleEvents.ProcessOpened("Lima 2027"), SampleEvents.ProcessOpened("Cusco 2027"), SampleEvents.ProcessOpened("Piura 2027")];
        await using (var uow = await service.UnitOfWork.BeginAsync(Ct))
        {
            foreach (var e in events)
            {
                uow.Publish(e);
            }
            await uow.CommitAsync(Ct);
        }

        foreach (var e in events)
        {
            var entry = await Eventually.Until($"event {e.Name} to be marked sent", Timeout, () => _db.OutboxEntryAsync(e.EventId), x => x?.SentAt is not null);
            Assert.Equal(1, entry!.Attempts);
            Assert.Null(entry.LastError);
            await Eventually.Until($"event {e.Name} to be consumed", Timeout, () => _db.EffectsOfAsync(e.EventId), n => n == 1);
            var delivery = Assert.Single(_deliveries.Of(e.EventId));
            Assert.Equal(e.EventId, delivery.MessageId);
        }
        var names = await _db.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY name) FROM opened_processes");
        Assert.Equal("Cusco 2027,Lima 2027,Piura 2027", names);
    }

    [Fact]
    public async Task Events_committed_while_the_broker_is_down_wait_in_the_outbox_and_are_delivered_when_it_is_back()
    {
        var name = $"outage-{Guid.NewGuid():N}";
        var running = await StartAsync(name);
        await servers.StopBrokerAsync();

        var duringOutage = SampleEvents.ProcessOpened("Committed during the outage");
        await CommitAsync(running, duringOutage);

        var pending = await Eventually.Until("the relay to fail publishing twice", TimeSpan.FromSeconds(30),
            () => _db.OutboxEntryAsync(duringOutage.EventId), e => e is { Attempts: >= 2 });
        Assert.Null(pending!.SentAt);
        Assert.NotNull(pending.LastError);
        Assert.Empty(_deliveries.Of(duringOutage.EventId));

        // A replica (re)started during the outage still starts and accepts work; its events wait too.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var startedDuringOutage = await StartAsync(name, waitForBroker: false);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Starting a replica during the outage took {clock.Elapsed.TotalSeconds:0.0} s");
        var fromNewReplica = SampleEvents.ProcessOpened("Committed by a replica started during the outage");
        await CommitAsync(startedDuringOutage, fromNewReplica);

        await servers.StartBrokerAsync();

        foreach (var e in new[] { duringOutage, fromNewReplica })
        {
            await Eventually.Until($"'{e.Name}' to be consumed after the broker came back", TimeSpan.FromSeconds(45),
                () => _db.EffectsOfAsync(e.EventId), n => n >= 1);
            await Eventually.Until($"'{e.Name}' to be marked sent", Timeout, () => _db.OutboxEntryAsync(e.EventId), x => x?.SentAt is not null);
            Assert.Equal(1, await _db.EffectsOfAsync(e.EventId));
            Assert.Equal(1, await _db.InboxEntriesOfAsync(e.EventId));
        }
        Assert.True((await _db.OutboxEntryAsync(duringOutage.EventId))!.Attempts > pending.Attempts);
    }

    [Fact]
    public async Task Two_relay_replicas_publish_every_event_exactly_once_between_them()
    {
        const int count = 200;
        var name = $"replicas-{Guid.NewGuid():N}";
        // Small batches so both replicas keep claiming rows while the other holds some.
        var outbox = new OutboxOptions { PollInterval = TimeSpan.FromMilliseconds(250), PublishTimeout = TimeSpan.FromSeconds(5), BatchSize = 10 };
        TestService[] replicas = [await StartAsync(name, outbox), await StartAsync(name, outbox)];

        var events = Enumerable.Range(1, count).Select(i => SampleEvents.ProcessOpened($"Proceso {i}")).ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            // Each replica commits half of the events, as requests spread over replicas would.
            await using var uow = await replicas[i % 2].UnitOfWork.BeginAsync(ct);
            uow.Publish(events[i]);
            await uow.CommitAsync(ct);
        });

        await Eventually.Until("every event to be marked sent", TimeSpan.FromSeconds(30),
            () => _db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), pending => pending == 0);
        await Eventually.Until("every event to be consumed", TimeSpan.FromSeconds(30),
            () => _db.ScalarAsync<long>("SELECT count(*) FROM inbox"), handled => handled == count);
        // Marked sent means published and confirmed; a second copy would already be queued. Give it time to arrive.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);

        var deliveries = _deliveries.Arrived;
        var missing = events.Select(e => e.EventId).Except(deliveries.Select(d => d.EventId)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} events never delivered, e.g. {string.Join(", ", missing.Take(3))}");
        var duplicated = deliveries.GroupBy(d => d.EventId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} events delivered more than once, e.g. {string.Join(", ", duplicated.Take(3))}");
        Assert.Equal(count, deliveries.Count);
        Assert.Equal(count, await _db.ScalarAsync<long>("SELECT count(*) FROM opened_processes"));
        Assert.Equal(count, await _db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE attempts = 1"));
        var publishers = deliveries.Select(d => d.SourceAddress).Distinct().Count();
        Assert.True(publishers == 2, $"Expected both replicas' relays to publish, but events came from {publishers} bus(es)");
    }

    [Fact]
    public async Task An_outbox_row_no_build_can_read_is_parked_and_later_events_still_flow()
    {
        var service = await StartAsync($"parking-{Guid.NewGuid():N}");
        // As if an event type had been renamed between the commit and the relay's pass.
        var unreadable = Guid.NewGuid();
        await _db.ExecuteAsync(
            "INSERT INTO outbox (event_id, event_type, payload, occurred_at) VALUES (@unreadable, 'PBServices.Contracts.IntegrationEvents.ProcessRenamedLongAgo', '{}', now())",
            new { unreadable });
        var later = SampleEvents.ProcessOpened("Committed after the unreadable row");
        await CommitAsync(service, later);

        await Eventually.Until("the later event to be consumed", Timeout, () => _db.EffectsOfAsync(later.EventId), n => n == 1);
        var parked = await _db.ScalarAsync<bool>("SELECT parked_at IS NOT NULL AND sent_at IS NULL AND last_error LIKE '%ProcessRenamedLongAgo%' FROM outbox WHERE event_id = @unreadable", new { unreadable });
        Assert.True(parked, "The unreadable row should be parked with its reason, not sent");
    }

    [Fact]
    public async Task An_event_no_service_consumes_yet_is_kept_in_the_unrouted_queue_not_dropped()
    {
        var service = await StartAsync($"unrouted-{Guid.NewGuid():N}");
        // The test service consumes ProcessOpened only: nothing is bound for StageAdvanced.
        var unconsumed = new StageAdvanced { Jurisdiction = "150101", ProcessId = Guid.NewGuid(), FromStage = PBServices.Contracts.Stage.Preparation, ToStage = PBServices.Contracts.Stage.Concertation };
        var consumed = SampleEvents.ProcessOpened("Consumed, so never unrouted");
        await CommitAsync(service, unconsumed);
        await CommitAsync(service, consumed);
        await Eventually.Until("the consumed event's effect", Timeout, () => _db.EffectsOfAsync(consumed.EventId), n => n == 1);
        await Eventually.Until("the unconsumed event to be marked sent", Timeout, () => _db.OutboxEntryAsync(unconsumed.EventId), x => x?.SentAt is not null);

        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(servers.BrokerConnectionString) };
        await using var connection = await factory.CreateConnectionAsync(Ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Ct);
        var unrouted = new List<string>();
        await Eventually.Until("the unconsumed event in the unrouted queue", Timeout, async () =>
        {
            while (await channel.BasicGetAsync(Messaging.EventBusExtensions.UnroutedQueue, autoAck: false, Ct) is { } message)
            {
                unrouted.Add(System.Text.Encoding.UTF8.GetString(message.Body.Span));
            }
            return unrouted.Any(body => body.Contains(unconsumed.EventId.ToString(), StringComparison.Ordinal));
        }, found => found);
        Assert.DoesNotContain(unrouted, body => body.Contains(consumed.EventId.ToString(), StringComparison.Ordinal));
    }

    private async Task<TestService> StartAsync(string serviceName, OutboxOptions? outbox = null, bool waitForBroker = true)
    {
        var service = await TestService.StartAsync(serviceName, _db.ConnectionString, servers, _deliveries, outbox, waitForBroker);
        _services.Add(service);
        return service;
    }

    private static async Task CommitAsync(TestService service, IntegrationEvent integrationEvent)
    {
        await using var uow = await service.UnitOfWork.BeginAsync(Ct);
        uow.Publish(integrationEvent);
        await uow.CommitAsync(Ct);
    }
}
