using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// The authorisation matrix, generated from what each service publishes about its endpoints (the x-pb-authorization
/// of every OpenAPI operation, the x-pb-grpc list of its gRPC methods): every operation and method × anonymous and every
/// role × the process's own jurisdiction and another, against one real process taken through every stage. A success the
/// declaration does not admit is an unauthorised success; every public read must work without a token. Writes an
/// admitted caller would make are not sent: the matrix proves refusals and public reads, and leaves the world as built.
/// Uses only its own jurisdictions (0302xx), so it runs beside the other classes. The quick form tries one other
/// jurisdiction (030202); PB_AUTHZ_OTHER_JURISDICTIONS=N tries N (the province 030200 that contains the process's district, then more districts).
/// </summary>
public sealed class AuthorizationMatrixTests(SystemFixture system)
{
    private static readonly string[] Services = ["registration", "deliberation", "technical-assessment", "coordination", "ministry-submission", "oversight"];
    private static readonly string[] Roles =
        ["resident", "agent", "process-admin", "technical-team", "technical-team-lead", "coordination-council", "council", "oversight", "ministry", "integrator"];
    private static readonly string[] ReadMethods = ["get", "head"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Operation(string Where, string Method, string Path, JsonElement Definition, JsonElement Document, DeclaredAuthorization? Declared)
    {
        public string Name => $"{Method.ToUpperInvariant()} {Path} ({Where})";
        public bool Writes => !ReadMethods.Contains(Method);
    }

    private sealed record Outcome(string Operation, Principal Principal, int Status, bool Admitted, string? Leak);

    [Fact]
    public async Task No_role_or_jurisdiction_succeeds_where_the_endpoint_metadata_does_not_admit_it_and_every_public_read_works_without_a_token()
    {
        var started = DateTimeOffset.UtcNow;
        var world = await AuthorizationWorld.BuildAsync(system, Ct);
        var built = DateTimeOffset.UtcNow;

        var principals = new List<Principal> { Principal.Anonymous };
        foreach (var jurisdiction in AuthorizationWorld.Others().Prepend(AuthorizationWorld.Own))
        {
            foreach (var role in Roles)
            {
                // The agent and the committee member are the real ones: their own records are theirs in the own jurisdiction only.
                var subject = role is "agent" or "oversight" ? world.Member.ToString() : $"authz-{role}";
                principals.Add(new Principal($"{role}@{jurisdiction}", role, jurisdiction, await system.TokenAsync(role, jurisdiction, subject)));
            }
        }
        var intakePrincipals = await IntakePrincipalsAsync();

        using var intake = system.App.CreateHttpClient("national-intake", "http");
        var operations = new List<Operation>();
        var grpcMethods = new Dictionary<string, (string Where, DeclaredAuthorization Declared)>();
        foreach (var service in Services)
        {
            Collect(service, JsonDocument.Parse(await system.Gateway.GetStringAsync($"/openapi/{service}/v1.json", Ct)).RootElement, operations, grpcMethods);
        }
        Collect("national-intake", JsonDocument.Parse(await intake.GetStringAsync("/openapi/v1.json", Ct)).RootElement, operations, grpcMethods);

        // The roles of DESIGN.md section 2 (BuildingBlocks Roles.All, which the tests do not reference): a role an endpoint names and this list lacks fails here.
        var named = operations.Where(o => o.Where != "national-intake").SelectMany(o => o.Declared?.Roles ?? []).Distinct().Except(Roles).ToList();
        Assert.True(named.Count == 0, $"Roles the endpoints name that the matrix does not try: {string.Join(", ", named)}");

        // Every operation declares who may call it, and someone may.
        var undeclared = operations.Where(o => o.Declared is null || (!o.Declared.Anonymous && o.Declared.Roles is null)).Select(o => o.Name)
            .Concat(grpcMethods.Where(m => !m.Value.Declared.Anonymous && m.Value.Declared.Roles is null).Select(m => m.Key)).ToList();
        Assert.True(undeclared.Count == 0, $"{undeclared.Count} operations do not declare the roles they admit:\n{string.Join("\n", undeclared)}");
        var unreachable = operations.Where(o => o.Declared is { Anonymous: false, Roles.Count: 0 }).Select(o => o.Name)
            .Concat(grpcMethods.Where(m => m.Value.Declared is { Anonymous: false, Roles.Count: 0 }).Select(m => m.Key)).ToList();
        Assert.True(unreachable.Count == 0, $"No role can reach:\n{string.Join("\n", unreachable)}");

        var outcomes = new ConcurrentBag<Outcome>();
        var unknownParameters = new ConcurrentDictionary<string, byte>();
        using var gate = new SemaphoreSlim(6);
        var http = new List<Task>();
        foreach (var operation in operations)
        {
            var client = operation.Where == "national-intake" ? intake : system.Gateway;
            foreach (var principal in operation.Where == "national-intake" ? principals.Concat(intakePrincipals) : principals)
            {
                var admitted = operation.Declared!.Admits(principal, operation.Where == "national-intake");
                if (operation.Writes && admitted)
                {
                    continue;
                }
                http.Add(SendAsync(client, operation, principal, admitted, world, gate, outcomes, unknownParameters));
            }
        }
        await Task.WhenAll(http);

        var grpc = new List<Task>();
        using var intakeChannel = GrpcChannel.ForAddress(system.App.GetEndpoint("national-intake", "grpc"));
        var descriptors = Descriptors();
        var missing = descriptors.Keys.Except(grpcMethods.Keys).ToList();
        Assert.True(missing.Count == 0, $"gRPC methods of the .proto files no service lists with its authorization:\n{string.Join("\n", missing)}");
        foreach (var (name, (where, declared)) in grpcMethods)
        {
            var method = descriptors[name];
            var channel = where == "national-intake" ? intakeChannel : system.GatewayGrpc;
            foreach (var principal in where == "national-intake" ? principals.Concat(intakePrincipals) : principals)
            {
                var admitted = declared.Admits(principal, where == "national-intake");
                // Only reads are sent for admitted callers; a submission or a token request would change the world or prove nothing.
                if (admitted && !IsRead(method.Name))
                {
                    continue;
                }
                grpc.Add(CallAsync(channel, method, declared, principal, admitted, world, gate, outcomes));
            }
        }
        await Task.WhenAll(grpc);

        var all = outcomes.ToList();
        var output = TestContext.Current.TestOutputHelper!;
        var figures =
            $"Authorisation matrix: {operations.Count} HTTP operations and {grpcMethods.Count} gRPC methods × {principals.Count} principals " +
            $"(anonymous, {Roles.Length} roles × {AuthorizationWorld.Others().Count + 1} jurisdictions; the intake's also {intakePrincipals.Count} of its own): {all.Count} requests sent " +
            $"({operations.Sum(o => (o.Where == "national-intake" ? principals.Count + intakePrincipals.Count : principals.Count)) + grpcMethods.Sum(m => m.Value.Where == "national-intake" ? principals.Count + intakePrincipals.Count : principals.Count) - all.Count} admitted writes not sent); " +
            $"world built in {(built - started).TotalSeconds:F0} s, matrix in {(DateTimeOffset.UtcNow - built).TotalSeconds:F0} s.\n" +
            "Outcomes: " + string.Join(", ", all.GroupBy(o => (o.Admitted ? "admitted " : "refused-by-metadata ") + o.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));
        EvidenceLog.Write("authorisation", figures);
        if (!unknownParameters.IsEmpty)
        {
            output.WriteLine($"Path parameters the world has no id for (a fresh id was sent): {string.Join(", ", unknownParameters.Keys)}");
        }

        foreach (var g in all.Where(o => o.Admitted && o.Status is < 200 or >= 300).GroupBy(o => $"{o.Operation}: {o.Status}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"Admitted but not answered 2xx (stage, state or an id the world lacks): {g.Key} for {string.Join(", ", g.Select(o => o.Principal.Name).Order())}");
        }
        var fiveHundreds = all.Where(o => o.Status >= 500).Select(o => $"{o.Operation} as {o.Principal.Name}: {o.Status}").Order().ToList();
        output.WriteLine($"5xx answers: {fiveHundreds.Count}{(fiveHundreds.Count == 0 ? "" : "\n" + string.Join("\n", fiveHundreds))}");

        var unauthorised = all.Where(o => !o.Admitted && o.Status is >= 200 and < 300).Select(o => $"{o.Operation} as {o.Principal.Name}: {o.Status}")
            .Concat(all.Where(o => o.Leak is not null).Select(o => $"{o.Operation} as {o.Principal.Name} answered another jurisdiction's {o.Leak}")).Order().ToList();
        output.WriteLine($"Unauthorised successes: {unauthorised.Count}");
        Assert.True(unauthorised.Count == 0, $"{unauthorised.Count} unauthorised successes:\n{string.Join("\n", unauthorised)}");

        var publicReads = operations.Where(o => o.Declared!.Anonymous && !o.Writes).ToList();
        var failed = all.Where(o => o.Principal == Principal.Anonymous && publicReads.Any(p => p.Name == o.Operation) && o.Status is < 200 or >= 300)
            .Select(o => $"{o.Operation}: {o.Status}").Order().ToList();
        output.WriteLine($"Public reads: {publicReads.Count}, {publicReads.Count - failed.Count} answered 2xx without a token");
        Assert.True(failed.Count == 0, $"{failed.Count} public reads do not work without a token:\n{string.Join("\n", failed)}");
        Assert.True(fiveHundreds.Count == 0, $"{fiveHundreds.Count} requests answered 5xx:\n{string.Join("\n", fiveHundreds)}");
    }

    private static bool IsRead(string method) => method.StartsWith("Get", StringComparison.Ordinal) || method.StartsWith("List", StringComparison.Ordinal)
        || method.StartsWith("Is", StringComparison.Ordinal) || method.StartsWith("Stream", StringComparison.Ordinal);

    private static void Collect(string where, JsonElement document, List<Operation> operations, Dictionary<string, (string, DeclaredAuthorization)> grpc)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch" or "head"))
            {
                operations.Add(new Operation(where, operation.Name, path.Name, operation.Value, document, DeclaredAuthorization.From(operation.Value)));
            }
        }
        if (document.TryGetProperty("x-pb-grpc", out var methods))
        {
            foreach (var m in methods.EnumerateObject())
            {
                grpc[m.Name] = (where, DeclaredAuthorization.Read(m.Value));
            }
        }
    }

    /// <summary>The intake's own callers: its officer (national), and a deployment's and an integrator's client of each jurisdiction, created by the officer.</summary>
    private async Task<List<Principal>> IntakePrincipalsAsync()
    {
        using var officer = await system.MinistryOfficerAsync();
        using var channel = GrpcChannel.ForAddress(system.App.GetEndpoint("national-intake", "grpc"));
        var list = new List<Principal> { new("ministry-officer@PE", "ministry", Principal.National, officer.DefaultRequestHeaders.Authorization!.Parameter, OfTheIntake: true) };
        foreach (var jurisdiction in new[] { AuthorizationWorld.Own, AuthorizationWorld.Another })
        {
            foreach (var role in new[] { "deployment", "integrator" })
            {
                var (id, secret) = await IntakeDeployment.CreateClientAsync(officer, $"authz-{role}-{jurisdiction}-{Guid.NewGuid():N}"[..40], role, jurisdiction);
                list.Add(new Principal($"intake-{role}@{jurisdiction}", role, jurisdiction, await IntakeDeployment.GrpcTokenAsync(channel, id, secret), OfTheIntake: true));
            }
        }
        return list;
    }

    private static async Task SendAsync(HttpClient client, Operation operation, Principal principal, bool admitted, AuthorizationWorld world, SemaphoreSlim gate,
        ConcurrentBag<Outcome> outcomes, ConcurrentDictionary<string, byte> unknown)
    {
        var names = new HashSet<string>();
        var url = AuthorizationRequests.Url(operation.Path, operation.Definition, world.Ids, names);
        foreach (var n in names)
        {
            unknown.TryAdd(n, 0);
        }
        await gate.WaitAsync(Ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method.ToUpperInvariant()), url)
                {
                    Content = AuthorizationRequests.Body(operation.Definition, operation.Document, world.Ids),
                };
                if (principal.Token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", principal.Token);
                }
                using var response = await client.SendAsync(request, Ct);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 30)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), Ct);
                    continue;
                }
                var body = await response.Content.ReadAsStringAsync(Ct);
                var status = (int)response.StatusCode;
                var leak = status is >= 200 and < 300 && principal.Jurisdiction is not (null or AuthorizationWorld.Own or Principal.National) && operation.Declared!.AnswersWithTheCallersOwn
                    ? Leak(body, url, world) : null;
                outcomes.Add(new Outcome(operation.Name, principal, status, admitted, leak));
                return;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// What of the own jurisdiction's process an answer to another jurisdiction's caller carries, beyond the ids its request named: an
    /// endpoint declared for any jurisdiction answers with the caller's own, never another's.
    /// </summary>
    private static string? Leak(string body, string url, AuthorizationWorld world, bool quoted = true)
    {
        if (body.Contains(quoted ? $"\"{AuthorizationWorld.Own}\"" : AuthorizationWorld.Own, StringComparison.Ordinal))
        {
            return $"jurisdiction code {AuthorizationWorld.Own}";
        }
        return world.Ids.Where(i => Guid.TryParse(i.Value, out _) && !url.Contains(i.Value, StringComparison.OrdinalIgnoreCase)
                                     && body.Contains(i.Value, StringComparison.OrdinalIgnoreCase))
            .Select(i => $"{i.Key} {i.Value}").FirstOrDefault();
    }

    private static Dictionary<string, MethodDescriptor> Descriptors() =>
        new FileDescriptor[]
        {
            PBServices.Grpc.Registration.RegistrationReflection.Descriptor, PBServices.Grpc.Deliberation.DeliberationReflection.Descriptor,
            PBServices.Grpc.TechnicalAssessment.AssessmentReflection.Descriptor, PBServices.Grpc.Coordination.CoordinationReflection.Descriptor,
            PBServices.Grpc.Ministry.MinistryReflection.Descriptor, PBServices.Grpc.Oversight.OversightReflection.Descriptor,
            PBServices.Grpc.Intake.IntakeReflection.Descriptor,
        }.SelectMany(f => f.Services).SelectMany(s => s.Methods).ToDictionary(m => $"/{m.Service.FullName}/{m.Name}");

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static async Task CallAsync(GrpcChannel channel, MethodDescriptor descriptor, DeclaredAuthorization declared, Principal principal, bool admitted, AuthorizationWorld world, SemaphoreSlim gate,
        ConcurrentBag<Outcome> outcomes)
    {
        var streaming = descriptor.IsServerStreaming;
        var method = new Method<byte[], byte[]>(streaming ? MethodType.ServerStreaming : MethodType.Unary, descriptor.Service.FullName, descriptor.Name, Bytes, Bytes);
        var headers = principal.Token is null ? null : new Metadata { { "Authorization", $"Bearer {principal.Token}" } };
        var request = AuthorizationRequests.GrpcRequest(descriptor.InputType, world.Ids);
        var name = $"gRPC /{descriptor.Service.FullName}/{descriptor.Name}";
        await gate.WaitAsync(Ct);
        try
        {
            StatusCode status;
            var answered = new System.Text.StringBuilder();
            try
            {
                // A stream that follows new decisions stays open: open and unrefused within the deadline is a success.
                var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(streaming ? 4 : 30), Ct);
                if (streaming)
                {
                    using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(method, null, options, request);
                    while (await call.ResponseStream.MoveNext(Ct))
                    {
                        answered.Append(System.Text.Encoding.UTF8.GetString(call.ResponseStream.Current));
                    }
                }
                else
                {
                    answered.Append(System.Text.Encoding.UTF8.GetString(await channel.CreateCallInvoker().AsyncUnaryCall(method, null, options, request)));
                }
                status = StatusCode.OK;
            }
            catch (RpcException e)
            {
                status = e.StatusCode == StatusCode.DeadlineExceeded && streaming ? StatusCode.OK : e.StatusCode;
            }
            // Reported beside the HTTP outcomes: gRPC OK as 200, a refusal as 4xx by its status.
            outcomes.Add(new Outcome(name, principal, status switch
            {
                StatusCode.OK => 200,
                StatusCode.Unauthenticated => 401,
                StatusCode.PermissionDenied => 403,
                StatusCode.NotFound => 404,
                StatusCode.InvalidArgument or StatusCode.FailedPrecondition => 400,
                StatusCode.ResourceExhausted => 429,
                StatusCode.AlreadyExists or StatusCode.Aborted => 409,
                _ => 500,
            }, admitted, status == StatusCode.OK && principal.Jurisdiction is not (null or AuthorizationWorld.Own or Principal.National) && declared.AnswersWithTheCallersOwn
                ? Leak(answered.ToString(), System.Text.Encoding.UTF8.GetString(request), world, quoted: false) : null));
        }
        finally
        {
            gate.Release();
        }
    }
}
