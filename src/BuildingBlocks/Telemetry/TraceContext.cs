using System.Diagnostics;
using OpenTelemetry;

namespace PBServices.BuildingBlocks.Telemetry;

/// <summary>
/// Carries a user action's W3C trace context across work that is stored and picked up later (the outbox,
/// the submission queue), so one action stays one trace; and keeps background polls out of the traces.
/// </summary>
public static class TraceContext
{
    public static readonly ActivitySource Source = new("PBServices.BuildingBlocks");

    /// <summary>The current W3C traceparent and tracestate, to store beside work that another process will continue.</summary>
    public static (string? Parent, string? State) Capture() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? (a.Id, a.TraceStateString) : (null, null);

    /// <summary>
    /// Starts the span that continues stored work under the trace that wrote it; a row stored without a
    /// context starts a trace of its own.
    /// </summary>
    public static Activity? Continue(string name, string? traceParent, string? traceState, ActivityKind kind = ActivityKind.Internal) =>
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);

    /// <summary>
    /// Suppresses instrumentation for work that is no user action (a background poll, start-up DDL): recorded,
    /// polls alone would fill the trace view with one-span database traces every second.
    /// </summary>
    public static IDisposable Untraced() => SuppressInstrumentationScope.Begin();

    /// <summary>Traced again inside an <see cref="Untraced"/> poll, for the work a poll found (an act that arrived from elsewhere).</summary>
    public static IDisposable Traced() => SuppressInstrumentationScope.Begin(false);
}
