using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>A message an operator finds in an error or skipped queue, with what MassTransit recorded of its failure.</summary>
public sealed record DeadLetter(string Queue, string MessageId, string MessageType, string? Jurisdiction, string? FaultException, string? FaultMessage)
{
    public override string ToString() =>
        $"{Queue}: {MessageType} {MessageId} (jurisdiction {Jurisdiction ?? "?"}) — {FaultException ?? "no fault recorded"}: {FaultMessage}";
}

/// <summary>The broker as an operator sees it in the management UI (loopback, guest): its queues and what waits in them.</summary>
public sealed class FaultBroker(SystemFixture system)
{
    public sealed record QueueInfo(string Name, long Messages);

    private HttpClient Management()
    {
        var client = new HttpClient { BaseAddress = system.App.GetEndpoint("messaging", "management"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        return client;
    }

    public async Task<List<QueueInfo>> QueuesAsync(CancellationToken ct)
    {
        using var client = Management();
        var queues = await client.GetFromJsonAsync<JsonElement>("/api/queues/%2F?columns=name,messages", ct);
        return queues.EnumerateArray()
            .Select(q => new QueueInfo(q.GetProperty("name").GetString()!, q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0))
            .OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every message in every <c>_error</c> and <c>_skipped</c> queue, read and put back (nothing is consumed).</summary>
    public async Task<List<DeadLetter>> DeadLettersAsync(CancellationToken ct)
    {
        using var client = Management();
        var letters = new List<DeadLetter>();
        foreach (var queue in (await QueuesAsync(ct)).Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal) || q.Name.EndsWith("_skipped", StringComparison.Ordinal)))
        {
            if (queue.Messages == 0)
            {
                continue;
            }
            using var got = await client.PostAsJsonAsync($"/api/queues/%2F/{Uri.EscapeDataString(queue.Name)}/get",
                new { count = 1000, ackmode = "ack_requeue_true", encoding = "auto" }, ct);
            got.EnsureSuccessStatusCode();
            foreach (var message in (await got.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray())
            {
                letters.Add(Read(queue.Name, message));
            }
        }
        return letters;
    }

    private static DeadLetter Read(string queue, JsonElement message)
    {
        var properties = message.GetProperty("properties");
        var headers = properties.TryGetProperty("headers", out var h) ? h : default;
        string? Header(string name) => headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var v) ? v.ToString() : null;
        string? jurisdiction = null;
        var messageType = Header("MT-MessageType") ?? "?";
        var messageId = properties.TryGetProperty("message_id", out var id) ? id.GetString() ?? "?" : "?";
        try
        {
            // MassTransit's envelope: the event itself under "message".
            using var body = JsonDocument.Parse(message.GetProperty("payload").GetString()!);
            if (body.RootElement.TryGetProperty("message", out var inner))
            {
                jurisdiction = inner.TryGetProperty("jurisdiction", out var j) ? j.GetString() : null;
            }
            if (body.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0)
            {
                messageType = types[0].GetString() ?? messageType;
            }
            if (body.RootElement.TryGetProperty("messageId", out var envelopeId))
            {
                messageId = envelopeId.GetString() ?? messageId;
            }
        }
        catch (JsonException)
        {
        }
        return new DeadLetter(queue, messageId, messageType, jurisdiction, Header("MT-Fault-ExceptionType"), Header("MT-Fault-Message"));
    }
}
