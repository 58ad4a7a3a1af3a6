using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PBServices.EndToEnd.Tests.Telemetry.Otlp;

namespace PBServices.EndToEnd.Tests.Telemetry;

/// <summary>One span as a service exported it, with the service that exported it.</summary>
/// <summary>A span as a service exported it; <paramref name="Target"/> is the address a client span called, to say what a stray one was.</summary>
public sealed record ExportedSpan(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, Span.Types.SpanKind Kind, string Scope, string? Target = null);

/// <summary>
/// An OTLP/HTTP receiver the services export their traces to during the tests (what the Aspire dashboard
/// receives in a developer's run), so a test can check what an operator would see.
/// </summary>
public sealed class TelemetryReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly WebApplication _app;

    private TelemetryReceiver(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<ExportedSpan> Spans => [.. _spans];

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TelemetryReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Add(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        // Logs and metrics are accepted and not kept: this receiver is for traces.
        app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
        app.MapPost("/v1/metrics", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        receiver.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    private void Add(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "?";
            foreach (var scope in resource.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    _spans.Enqueue(new ExportedSpan(service, Convert.ToHexStringLower(span.TraceId.Span), Convert.ToHexStringLower(span.SpanId.Span),
                        span.ParentSpanId.IsEmpty ? null : Convert.ToHexStringLower(span.ParentSpanId.Span), span.Name, span.Kind, scope.Scope?.Name ?? "",
                        span.Attributes.FirstOrDefault(a => a.Key is "url.full" or "server.address")?.Value?.StringValue));
                }
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
