using MassTransit;
using PBServices.BuildingBlocks.Tests.Infrastructure;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>A message delivered more than once has one effect.</summary>
public sealed class IdempotentConsumerTests(LocalBrokerAndDatabase servers) : SingleServiceTest(servers, "inbox")
{
    [Fact]
    public async Task An_event_published_again_after_a_relay_crash_has_one_effect()
    {
        var opened = SampleEvents.ProcessOpened("Republished");
        await using (var uow = await _service.UnitOfWork.BeginAsync(Ct))
        {
            uow.Publish(opened);
            await uow.CommitAsync(Ct);
        }
        await Eventually.Until("the first delivery to take effect", Timeout, () => _db.EffectsOfAsync(opened.EventId), n => n == 1);
        await Eventually.Until("the relay to mark the event sent", Timeout, () => _db.OutboxEntryAsync(opened.EventId), e => e?.SentAt is not null);

        // A relay that dies after the broker confirmed but before it marked the row sent leaves it pending.
        await _db.ExecuteAsync("UPDATE outbox SET sent_at = NULL WHERE event_id = @id", new { id = opened.EventId });

        await Eventually.Until("the relay to publish the event a second time", Timeout, () => _deliveries.Of(opened.EventId).Count, n => n >= 2);
        await Eventually.Until("the second delivery to be handled", Timeout, () => _deliveries.Finished.Count(f => f.EventId == opened.EventId), n => n >= 2);
        Assert.All(_deliveries.Of(opened.EventId), d => Assert.Equal(opened.EventId, d.MessageId));
        Assert.Equal(1, await _db.EffectsOfAsync(opened.EventId));
        Assert.Equal(1, await _db.InboxEntriesOfAsync(opened.EventId));
    }

    [Fact]
    public async Task Two_copies_of_an_event_delivered_at_the_same_time_have_one_effect()
    {
        var opened = SampleEvents.ProcessOpened("Racing copies");
        // The first copy keeps its transaction open long enough for the second to arrive meanwhile.
        _service.Pace.HoldTransaction = TimeSpan.FromMilliseconds(700);

        await Task.WhenAll(
            _service.Bus.Publish(opened, ctx => ctx.MessageId = opened.EventId, Ct),
            _service.Bus.Publish(opened, ctx => ctx.MessageId = opened.EventId, Ct));

        await Eventually.Until("both copies to be handled", Timeout, () => _deliveries.Finished.Count(f => f.EventId == opened.EventId), n => n >= 2);
        var arrivals = _deliveries.Of(opened.EventId);
        Assert.Equal(2, arrivals.Count);
        var firstFinished = _deliveries.Finished.Where(f => f.EventId == opened.EventId).Min(f => f.At);
        Assert.True(arrivals.Max(a => a.ArrivedAt) < firstFinished,
            "The copies were handled one after the other, not concurrently: the race this test is about did not happen");
        Assert.Equal(1, await _db.EffectsOfAsync(opened.EventId));
        Assert.Equal(1, await _db.InboxEntriesOfAsync(opened.EventId));
    }
}
