using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// Bad input on every HTTP operation and gRPC method the deployment publishes, generated from the OpenAPI documents
/// and the .proto descriptors, so a new endpoint is covered without a test written for it. Each case goes without a
/// token and with one the endpoint allows, for a real process, so validation runs rather than only the gateway's 401.
/// Every answer must be a refusal (4xx problem details, or a gRPC status naming the caller's fault), and nothing may
/// change: the row counts of every table and every audit chain are the same afterwards.
/// </summary>
[Collection(SystemDisruption.Name)]
public sealed partial class BadInputTests(SystemFixture system)
{
    private const string Jurisdiction = "030101";
    /// <summary>Every role of DESIGN.md section 2: a token holding them all is one "the endpoint allows", whichever it is.</summary>
    private static readonly string[] AllRoles =
        ["resident", "agent", "process-admin", "technical-team", "technical-team-lead", "coordination-council", "council", "oversight", "ministry", "integrator"];
    /// <summary>Requests in flight at once: enough to finish in CI's budget, few enough not to crowd two cores.</summary>
    private static readonly int Parallelism = int.TryParse(Environment.GetEnvironmentVariable("PB_BADINPUT_PARALLELISM"), out var p) ? p : 8;

    private static readonly StatusCode[] CallersFault =
        [StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.Unauthenticated, StatusCode.PermissionDenied, StatusCode.FailedPrecondition, StatusCode.OutOfRange, StatusCode.AlreadyExists];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Outcome(string Service, string Kind, string Failure);

    [Fact]
    public async Task Bad_input_on_every_operation_and_method_is_refused_and_changes_nothing()
    {
        var clock = Stopwatch.StartNew();
        var ids = await SetUpProcessAsync();
        var token = await AllRolesTokenAsync(ids.ByName["agentId"].ToString());
        var officer = await system.MinistryOfficerAsync();
        using var intakeGrpc = GrpcChannel.ForAddress(system.App.GetEndpoint("national-intake", "grpc"));
        var (deploymentClient, deploymentToken) = await DeploymentTokenAsync(officer, intakeGrpc);

        // The HTTP cases: every document the gateway's API reference lists, and the intake's own.
        using var anonymous = system.App.CreateHttpClient("gateway", "http");
        using var intakeAnonymous = system.App.CreateHttpClient("national-intake", "http");
        using var signedIn = system.As(token);
        var skipped = new List<BadInputHttpCases.Skipped>();
        var httpCases = new List<(BadHttpCase Case, HttpClient Client, string Token)>();
        var documentsRead = new List<JsonDocument>();
        var documents = DocumentUrls().Matches(await anonymous.GetStringAsync("/scalar/", Ct)).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(documents);
        foreach (var service in documents)
        {
            // Kept open while the cases are sent: their bodies are built from it then.
            var document = JsonDocument.Parse(await anonymous.GetStringAsync($"/openapi/{service}/v1.json", Ct));
            documentsRead.Add(document);
            foreach (var c in BadInputHttpCases.Generate(service, document.RootElement, ids, skipped))
            {
                httpCases.Add((c, anonymous, "no token"));
                httpCases.Add((c, signedIn, "token"));
            }
        }
        var intakeDocument = JsonDocument.Parse(await intakeAnonymous.GetStringAsync("/openapi/v1.json", Ct));
        documentsRead.Add(intakeDocument);
        foreach (var c in BadInputHttpCases.Generate("national-intake", intakeDocument.RootElement, ids, skipped))
        {
            httpCases.Add((c, intakeAnonymous, "no token"));
            httpCases.Add((c, officer, "officer token"));
        }

        // The gRPC cases: every service of every contract, at the gateway if it routes it, else at the intake.
        var routed = await GatewayServicesAsync();
        var grpcCases = new List<(BadGrpcCase Case, GrpcChannel Channel, string Token, string? Bearer)>();
        foreach (var service in BadInputGrpcCases.ContractFiles().SelectMany(f => f.Services))
        {
            var atGateway = routed.Contains(service.FullName);
            (string Name, string? Bearer)[] tokens = atGateway
                ? [("no token", null), ("token", token)]
                : [("no token", null), ("deployment token", deploymentToken), ("officer token", officer.DefaultRequestHeaders.Authorization!.Parameter)];
            foreach (var c in BadInputGrpcCases.Generate(service, ids))
            {
                foreach (var (name, bearer) in tokens)
                {
                    grpcCases.Add((c, atGateway ? system.GatewayGrpc : intakeGrpc, name, bearer));
                }
            }
        }

        var rowsBefore = await system.SettledRowCountsAsync(Ct);
        var chainsBefore = await system.AuditChainsAsync(Ct);
        var lastRefusal = await LastRefusalAsync();
        var setUp = clock.Elapsed;

        var outcomes = new ConcurrentBag<Outcome>();
        using var gate = new SemaphoreSlim(Parallelism);
        var sending = Stopwatch.StartNew();
        await Task.WhenAll(
            httpCases.Select(c => Gated(gate, () => SendAsync(c.Case, c.Client, c.Token, outcomes)))
                .Concat(grpcCases.Select(c => Gated(gate, () => CallAsync(c.Case, c.Channel, c.Token, c.Bearer, outcomes)))));
        var sent = sending.Elapsed;
        documentsRead.ForEach(d => d.Dispose());

        var rowsAfter = await system.SettledRowCountsAsync(Ct);
        var chainsAfter = await system.AuditChainsAsync(Ct);

        var all = outcomes.ToList();
        var failures = all.Where(o => o.Failure.Length > 0).Select(o => o.Failure).Order(StringComparer.Ordinal).ToList();
        EvidenceLog.Write("bad-input", $"Bad input: {all.Count} cases ({httpCases.Count} HTTP, {grpcCases.Count} gRPC) in {sent.TotalSeconds:F1} s at {Parallelism} in flight (set-up {setUp.TotalSeconds:F1} s), {failures.Count} failed; load {File.ReadAllText("/proc/loadavg").Trim()}");
        EvidenceLog.Write("bad-input", "Per service: " + string.Join(", ", all.GroupBy(o => o.Service).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        EvidenceLog.Write("bad-input", "Per kind: " + string.Join(", ", all.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        EvidenceLog.Write("bad-input", $"Operations with nothing to make bad ({skipped.Count}): " + string.Join("; ", skipped.Select(s => s.Operation)));

        // The one table that must grow: the intake records every package it refuses, with its reasons, for the Ministry's
        // officers (GET /api/intake/refusals). Each new row must be one of this suite's bad packages: from its own
        // deployment client, with a refusal status, and no more of them than it sent.
        const string refusalsTable = "intakedb.public.refusals";
        var submitted = grpcCases.Count(c => c.Token == "deployment token" && c.Case.Method == "Submit");
        var refusals = await RefusalsAfterAsync(lastRefusal, deploymentClient);
        EvidenceLog.Write("bad-input", $"The intake recorded {refusals.Rows} refused packages, all from this suite's client: {refusals.FromClient == refusals.Rows}, of {submitted} bad packages it sent");
        Assert.True(refusals.Rows == refusals.FromClient && refusals.Rows == refusals.Refusals && refusals.Rows <= submitted,
            $"The intake's refusals grew by {refusals.Rows}: {refusals.FromClient} from this suite's client, {refusals.Refusals} with a refusal status, of {submitted} packages sent");
        var differences = SystemState.Differences(
            rowsBefore.Where(r => r.Key != refusalsTable).ToDictionary(), rowsAfter.Where(r => r.Key != refusalsTable).ToDictionary());
        var chains = chainsAfter.Where(c => !c.Value.Ok || !chainsBefore.TryGetValue(c.Key, out var before) || before != c.Value)
            .Select(c => $"{c.Key}: {chainsBefore.GetValueOrDefault(c.Key)} → {c.Value}").ToList();
        Assert.True(all.Count >= 500, $"Only {all.Count} cases were generated");
        Assert.True(failures.Count == 0 && differences.Count == 0 && chains.Count == 0,
            $"{failures.Count} of {all.Count} bad inputs were not refused as they should be:\n{string.Join("\n", failures)}\n"
            + $"Rows changed: {string.Join("; ", differences)}\nAudit chains changed: {string.Join("; ", chains)}");
    }

    private static async Task Gated(SemaphoreSlim gate, Func<Task> work)
    {
        await gate.WaitAsync(Ct);
        try
        {
            await work();
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task SendAsync(BadHttpCase c, HttpClient client, string token, ConcurrentBag<Outcome> outcomes)
    {
        var label = $"HTTP {c.Operation} [{c.Kind}: {c.Description}] ({token})";
        try
        {
            HttpResponseMessage response;
            // The gateway slows a client past its allowance; a 429 says nothing of the input, so it waits and sends again.
            for (var attempt = 0; ; attempt++)
            {
                using var request = new HttpRequestMessage(c.Method, c.Url) { Content = c.Body() };
                response = await client.SendAsync(request, Ct);
                if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt > 30)
                {
                    break;
                }
                response.Dispose();
                await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                var media = response.Content.Headers.ContentType?.MediaType;
                var body = await response.Content.ReadAsStringAsync(Ct);
                // A NUL in the path is refused by the HTTP server itself (Kestrel, at the gateway), before any application
                // code could answer with problem details: an empty 400 is the one answer there is.
                var serverRefusedNul = status == 400 && body.Length == 0 && new Uri(client.BaseAddress!, c.Url).AbsolutePath.Contains("%00", StringComparison.Ordinal);
                var failure = status is >= 400 and < 500 && (media == "application/problem+json" || serverRefusedNul)
                    ? ""
                    : $"{label}: {status} {media} {Excerpt(body)}";
                outcomes.Add(new Outcome(c.Service, c.Kind, failure));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !Ct.IsCancellationRequested)
        {
            outcomes.Add(new Outcome(c.Service, c.Kind, $"{label}: no answer ({e.GetType().Name}: {e.Message})"));
        }
    }

    private static async Task CallAsync(BadGrpcCase c, GrpcChannel channel, string token, string? bearer, ConcurrentBag<Outcome> outcomes)
    {
        var label = $"gRPC {c.Service}/{c.Method} [{c.Kind}: {c.Description}] ({token})";
        var method = BadInputGrpcCases.Raw(c.Descriptor);
        var headers = bearer is null ? new Metadata() : new Metadata { { "authorization", $"Bearer {bearer}" } };
        var invoker = channel.CreateCallInvoker();
        StatusCode status;
        string detail;
        for (var attempt = 0; ; attempt++)
        {
            var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(30), Ct);
            try
            {
                if (method.Type == MethodType.Unary)
                {
                    await invoker.AsyncUnaryCall(method, null, options, c.Request);
                }
                else if (method.Type == MethodType.ServerStreaming)
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options, c.Request);
                    while (await call.ResponseStream.MoveNext(Ct))
                    {
                    }
                }
                else
                {
                    using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                    await call.RequestStream.WriteAsync(c.Request, Ct);
                    await call.RequestStream.CompleteAsync();
                    while (await call.ResponseStream.MoveNext(Ct))
                    {
                    }
                }
                (status, detail) = (StatusCode.OK, "accepted");
            }
            catch (RpcException e)
            {
                (status, detail) = (e.StatusCode, e.Status.Detail);
            }
            catch (Exception e) when (e is not OperationCanceledException || !Ct.IsCancellationRequested)
            {
                (status, detail) = (StatusCode.Unknown, $"no answer ({e.GetType().Name}: {e.Message})");
            }
            if (status != StatusCode.ResourceExhausted || attempt > 30)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        }
        outcomes.Add(new Outcome(c.Service, c.Kind, CallersFault.Contains(status) ? "" : $"{label}: {BadInputGrpcCases.Describe(status)} {Excerpt(detail)}"));
    }

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>
    /// A process in Preparation's successor, Concertation, with an accredited agent and a proposal, so the ids the
    /// cases use name real things and the endpoints reach their validation.
    /// </summary>
    private async Task<BadInputIds> SetUpProcessAsync()
    {
        var story = await ProcessStory.OpenAsync(system, Jurisdiction, "Presupuesto Participativo Moquegua entrada inválida", 1_500_000m, Ct);
        var agent = await story.AccreditAgentAsync("Nora Coaquira Mamani", "03010001", "Comité de Vaso de Leche Moquegua");
        await story.StartConcertationAsync();
        var proposal = await story.ProposeAsync("Veredas del centro poblado", 200_000m);
        var applications = await story.Admin.GetFromJsonAsync<JsonElement>($"/api/registration/processes/{story.Process.Id}/applications", Ct);
        return new BadInputIds(Jurisdiction, new Dictionary<string, Guid>
        {
            ["processId"] = story.Process.Id,
            ["agentId"] = agent.Id,
            ["proposalId"] = proposal.Id,
            ["applicationId"] = applications.EnumerateArray().First().GetProperty("id").GetGuid(),
        });
    }

    private async Task<string> AllRolesTokenAsync(string subject)
    {
        using var client = system.App.CreateHttpClient("gateway", "http");
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.PostAsJsonAsync("/api/registration/dev-tokens", new { subject, roles = AllRoles, jurisdiction = Jurisdiction }, Ct);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt > 30)
            {
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync<SystemFixture.TokenResponse>(Ct))!.access_token;
            }
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        }
    }

    private static async Task<(string ClientId, string Token)> DeploymentTokenAsync(HttpClient officer, GrpcChannel intake)
    {
        var (clientId, secret) = await IntakeDeployment.CreateClientAsync(officer, $"e2e-badinput-{Guid.NewGuid():N}"[..30], "deployment", Jurisdiction);
        return (clientId, await IntakeDeployment.GrpcTokenAsync(intake, clientId, secret));
    }

    /// <summary>The intake's record of refused packages: the last id, and what was recorded after it (rows, of them from the client, of them with a refusal status).</summary>
    private async Task<long> LastRefusalAsync()
    {
        await using var intake = await system.OpenDatabaseAsync("intakedb", Ct);
        await using var command = new Npgsql.NpgsqlCommand("SELECT coalesce(max(id), 0) FROM refusals", intake);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private async Task<(long Rows, long FromClient, long Refusals)> RefusalsAfterAsync(long last, string clientId)
    {
        await using var intake = await system.OpenDatabaseAsync("intakedb", Ct);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*), count(*) FILTER (WHERE client_id = @c), count(*) FILTER (WHERE status IN ('PermissionDenied', 'InvalidArgument', 'FailedPrecondition', 'AlreadyExists')) FROM refusals WHERE id > @last", intake);
        command.Parameters.AddWithValue("last", last);
        command.Parameters.AddWithValue("c", clientId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>The gRPC services the gateway routes, as its reflection lists them.</summary>
    private async Task<HashSet<string>> GatewayServicesAsync()
    {
        var reflection = new ServerReflection.ServerReflectionClient(system.GatewayGrpc);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("\"url\":\"openapi/([a-z-]+)/v1\\.json\"")]
    private static partial Regex DocumentUrls();
}
