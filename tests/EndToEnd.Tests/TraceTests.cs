using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using PBServices.EndToEnd.Tests.Telemetry;
using PBServices.EndToEnd.Tests.Telemetry.Otlp;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// What an operator sees in the trace view: one user action is one trace across the gateway, the service,
/// the broker and every consumer; an idle system adds nothing. Runs alone, so other tests' traffic is not
/// mistaken for background noise.
/// </summary>
[Collection(SystemDisruption.Name)]
public sealed class TraceTests(SystemFixture system)
{
    [Fact]
    public async Task A_proposal_is_one_trace_from_the_gateway_through_RabbitMQ_to_the_technical_team()
    {
        var ct = TestContext.Current.CancellationToken;
        var (process, _, agent) = await ProcessSteps.OpenInConcertationAsync(system, "040102", 1_000_000m, ct);
        await ProcessSteps.UntilAsync(() => agent.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals",
            ProcessSteps.Proposal("Canal de regadío Cayma", 150_000m), ct), HttpStatusCode.Created, "deliberation to take proposals in Concertation");

        // The action under test, started under a trace id of our own so we can find every span of it.
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/deliberation/processes/{process.Id}/proposals")
        {
            Content = JsonContent.Create(ProcessSteps.Proposal("Puesto de salud Cayma", 300_000m)),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(request, ct)).StatusCode);

        // Each service exports on its own schedule: wait until every expected part has arrived.
        List<ExportedSpan> spans = [];
        bool Has(string service, Func<ExportedSpan, bool> what) => spans.Any(s => s.Service == service && what(s));
        try
        {
            await Eventually.Get(() =>
            {
                spans = system.Telemetry.Spans.Where(s => s.TraceId == traceId).ToList();
                return Task.FromResult<object?>(
                    Has("gateway", s => s.Kind == Span.Types.SpanKind.Server)
                    && Has("deliberation", s => s.Kind == Span.Types.SpanKind.Server)
                    && Has("deliberation", s => s.Scope == "Npgsql")
                    && Has("deliberation", s => s.Kind == Span.Types.SpanKind.Producer && s.Scope == "MassTransit")
                    && Has("technical-assessment", s => s.Kind == Span.Types.SpanKind.Consumer)
                    && Has("technical-assessment", s => s.Scope == "Npgsql") ? spans : null);
            }, "every part of the proposal's trace", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"The trace holds only: {string.Join("; ", spans.Select(s => $"{s.Service}/{s.Scope}/{s.Name}/{s.Kind}"))}");
        }

        // The RabbitMQ hop: the consumer's parent is the publish in deliberation, not a new trace.
        var publish = Assert.Single(spans, s => s.Service == "deliberation" && s.Kind == Span.Types.SpanKind.Producer && s.Scope == "MassTransit");
        var consume = spans.Where(s => s.Service == "technical-assessment" && s.Kind == Span.Types.SpanKind.Consumer).ToList();
        Assert.Contains(consume, c => c.ParentSpanId == publish.SpanId);
        Assert.All(spans.Where(s => s.Service == "technical-assessment"), s => Assert.NotNull(s.ParentSpanId));
    }

    [Fact]
    public async Task An_idle_system_adds_no_traces()
    {
        var ct = TestContext.Current.CancellationToken;
        // Let the exporters flush what earlier tests caused (they export every 500 ms here).
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var before = system.Telemetry.Spans.Count;

        // Five outbox relays poll every second and the submission deliverer every two: a few dozen polls.
        await Task.Delay(TimeSpan.FromSeconds(8), ct);

        var added = system.Telemetry.Spans.Skip(before).ToList();
        Assert.True(added.Count == 0, $"{added.Count} spans while idle: {string.Join(", ", added.Take(10).Select(s => $"{s.Service}/{s.Scope}/{s.Name}"))}");
        // And no background work ever started a trace of its own: every trace begins with a request.
        var roots = system.Telemetry.Spans.Where(s => s.ParentSpanId is null).ToList();
        Assert.All(roots, r => Assert.True(r.Kind == Span.Types.SpanKind.Server, $"a trace started by {r.Service}/{r.Scope}/{r.Name} ({r.Kind}) to {r.Target}"));
    }
}
