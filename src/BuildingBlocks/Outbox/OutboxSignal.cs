using System.Threading.Channels;

namespace PBServices.BuildingBlocks.Outbox;

/// <summary>
/// Wakes a background worker right after a commit gives it work, so it does not wait for its next
/// poll; the poll remains, since another replica may have written.
/// </summary>
public class WakeUpSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Returns when notified or when <paramref name="timeout"/> has passed, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Poll interval elapsed: look anyway.
        }
    }
}

/// <summary>Wakes the outbox relay after a commit that wrote events.</summary>
public sealed class OutboxSignal : WakeUpSignal;
