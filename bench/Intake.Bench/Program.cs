using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.Grpc.Intake;
using PBServices.Intake.Bench;

// The national intake at the submission deadline (issue 15, "Scale"): every government's signed submission, sent
// concurrently over gRPC (MinistryIntake.Submit), each signed with its own key the Ministry enrolled first; then
// the officers' count of what was recorded, and every package resent once (same receipts, nothing added).
// Usage: dotnet run -c Release --project bench/Intake.Bench -- [--governments 1890] [--projects 30] [--clients 32]
if (typeof(Governments).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration != "Release")
{
    Console.Error.WriteLine("Measure Release builds: dotnet run -c Release --project bench/Intake.Bench");
    return 1;
}
var total = Arg("--governments", 1_890);
var projectsPerList = Arg("--projects", 30);
var clients = Arg("--clients", 32);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;

var officerSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
var dataRoot = Path.Combine(Path.GetTempPath(), $"pb-intake-bench-{Guid.NewGuid():N}");
Console.WriteLine($"Machine: {Machine()}");
Console.WriteLine($"Starting the system (AppHost, Release, fresh data folder)… load average {LoadAverage()}");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
    [$"--LocalData:Root={dataRoot}", "--PB:Demo=false", $"--Parameters:ministry-officer-secret={officerSecret}"], ct);
builder.Services.AddLogging(l => l
    .AddFilter("PBServices.AppHost.Resources", LogLevel.Warning)
    .AddFilter("Aspire.Hosting", LogLevel.Error)
    .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
    .AddFilter("System.Net.Http", LogLevel.Warning));
await using var app = await builder.BuildAsync(ct);
try
{
    using (var startup = CancellationTokenSource.CreateLinkedTokenSource(ct))
    {
        startup.CancelAfter(TimeSpan.FromMinutes(5));
        await app.StartAsync(startup.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("national-intake", startup.Token);
    }
    var intakePid = await ServiceProcessIdAsync(app, "national-intake", ct);
    Console.WriteLine($"national-intake: {File.ReadAllText($"/proc/{intakePid}/cmdline").Replace('\0', ' ').Trim()}");

    using var channel = GrpcChannel.ForAddress(app.GetEndpoint("national-intake", "grpc"));
    var auth = new IntakeAuth.IntakeAuthClient(channel);
    var officerToken = (await auth.IssueTokenAsync(new IssueTokenRequest { ClientId = "mef-officer", ClientSecret = officerSecret }, cancellationToken: ct)).AccessToken;
    using var officer = app.CreateHttpClient("national-intake", "http");
    officer.DefaultRequestHeaders.Authorization = new("Bearer", officerToken);

    // Setup, not measured: each region's deployment gets a client, each government a key, as officers would enrol them.
    var governments = Governments.Generate(total: total);
    var setupClock = Stopwatch.StartNew();
    var deploymentTokens = new Dictionary<string, string>();
    foreach (var region in governments.Where(g => Jurisdictions.LevelOf(g) == GovernmentLevel.Region))
    {
        var created = await officer.PostAsJsonAsync("/api/intake/clients", new { clientId = $"bench-gr-{region}", role = "deployment", jurisdiction = region }, ct);
        var secret = (await Ok(created, ct)).GetProperty("clientSecret").GetString()!;
        deploymentTokens[region] = (await auth.IssueTokenAsync(new IssueTokenRequest { ClientId = $"bench-gr-{region}", ClientSecret = secret }, cancellationToken: ct)).AccessToken;
    }
    var keys = governments.ToDictionary(g => g, _ => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    await Parallel.ForEachAsync(governments, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (g, c) =>
    {
        var enrolled = await officer.PostAsJsonAsync("/api/intake/keys",
            new { jurisdiction = g, publicKey = Convert.ToBase64String(keys[g].ExportSubjectPublicKeyInfo()), reason = "Intake benchmark" }, c);
        await Ok(enrolled, c);
    });
    var random = new Random(15);
    var requests = governments.Select(g => Sign(Document(g, projectsPerList, random), keys[g])).ToList();
    Console.WriteLine($"Setup: {deploymentTokens.Count} deployment clients, {keys.Count:N0} keys enrolled, {requests.Count:N0} documents of {projectsPerList} projects signed in {setupClock.Elapsed.TotalSeconds:F1} s");

    var intake = new MinistryIntake.MinistryIntakeClient(channel);
    async Task<Run> SendAllAsync(string name)
    {
        var receipts = new ConcurrentDictionary<string, string>();
        var latencies = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var cpuBefore = CpuSeconds(intakePid);
        var load = LoadAverage();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = clients, CancellationToken = ct }, async (r, c) =>
        {
            var headers = new Metadata { { "authorization", $"Bearer {deploymentTokens[RegionOf(r.Jurisdiction)]}" } };
            var started = Stopwatch.GetTimestamp();
            try
            {
                var reply = await intake.SubmitAsync(r, headers, cancellationToken: c);
                receipts[r.SubmissionId] = reply.Receipt;
            }
            catch (RpcException e)
            {
                errors.AddOrUpdate($"{e.StatusCode}: {e.Status.Detail}", 1, (_, n) => n + 1);
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        var wall = clock.Elapsed;
        return new Run(name, wall, latencies.Order().ToArray(), receipts, errors, CpuSeconds(intakePid) - cpuBefore, $"{load} → {LoadAverage()}");
    }

    async Task<List<ReceivedSubmission>> RecordedAsync()
    {
        var query = new IntakeQuery.IntakeQueryClient(channel);
        using var call = query.ListSubmissions(new ListReceivedRequest(), new Metadata { { "authorization", $"Bearer {officerToken}" } }, cancellationToken: ct);
        var rows = new List<ReceivedSubmission>();
        await foreach (var s in call.ResponseStream.ReadAllAsync(ct))
        {
            rows.Add(s);
        }
        return rows;
    }

    Console.WriteLine($"Sending {requests.Count:N0} submissions, {clients} at a time…");
    var first = await SendAllAsync("first delivery");
    Report(first);
    var recorded = await RecordedAsync();
    var checks = new List<string>
    {
        Check("recorded rows", recorded.Count == requests.Count, $"{recorded.Count:N0} of {requests.Count:N0}"),
        Check("distinct submissions", recorded.Select(s => s.SubmissionId).Distinct().Count() == recorded.Count, $"{recorded.Select(s => s.SubmissionId).Distinct().Count():N0}"),
        Check("each row's receipt is the one its sender got", recorded.All(s => first.Receipts.TryGetValue(s.SubmissionId, out var receipt) && receipt == s.Receipt), $"{first.Receipts.Count:N0} receipts"),
        Check("every project recorded", recorded.Sum(s => s.Projects) == requests.Count * projectsPerList, $"{recorded.Sum(s => s.Projects):N0} projects"),
    };

    Console.WriteLine("Resending every submission once…");
    var again = await SendAllAsync("resent");
    Report(again);
    var afterResend = await RecordedAsync();
    checks.Add(Check("resent: the same receipt for every package", requests.All(r => again.Receipts.TryGetValue(r.SubmissionId, out var receipt) && receipt == first.Receipts.GetValueOrDefault(r.SubmissionId)),
        $"{again.Receipts.Count:N0} answered"));
    checks.Add(Check("resent: still one row each", afterResend.Count == requests.Count && afterResend.Select(s => s.SubmissionId).Distinct().Count() == requests.Count, $"{afterResend.Count:N0} rows"));

    Console.WriteLine();
    Console.WriteLine($"Machine: {Machine()}");
    Console.WriteLine($"{requests.Count:N0} submissions ({governments.Count(g => Jurisdictions.LevelOf(g) == GovernmentLevel.Region)} regions, "
        + $"{governments.Count(g => Jurisdictions.LevelOf(g) == GovernmentLevel.Province)} provinces, {governments.Count(g => Jurisdictions.LevelOf(g) == GovernmentLevel.District):N0} districts), "
        + $"{projectsPerList} projects each, {clients} concurrent calls; intake peak RSS {PeakRssMiB(intakePid):F0} MiB");
    Console.WriteLine("| run | submissions | wall (s) | rate (/s) | p50 (ms) | p99 (ms) | max (ms) | errors | intake CPU (s) | load average |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    foreach (var r in new[] { first, again })
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Name} | {r.Latencies.Length:N0} | {r.Wall.TotalSeconds:F1} | {r.Latencies.Length / r.Wall.TotalSeconds:F0} | {Percentile(r.Latencies, 50):F0} | {Percentile(r.Latencies, 99):F0} | {r.Latencies[^1]:F0} | {r.Errors.Values.Sum()} | {r.IntakeCpuSeconds:F1} | {r.Load} |"));
    }
    Console.WriteLine();
    checks.ForEach(Console.WriteLine);
    Console.WriteLine($"Target: {requests.Count:N0} in under 60 s with none lost or duplicated: {(first.Wall.TotalSeconds < 60 && checks.All(c => c.StartsWith("ok", StringComparison.Ordinal)) ? "met" : "not met")}");
    return checks.All(c => c.StartsWith("ok", StringComparison.Ordinal)) ? 0 : 2;
}
finally
{
    await app.StopAsync(CancellationToken.None);
    try
    {
        Directory.Delete(dataRoot, recursive: true);
    }
    catch (IOException)
    {
        // Best effort: the folder is under the system temp directory.
    }
}

// A valid list as a formalized process sends it: every project assessed viable and paid from the government's own
// ceiling, the acta signed and approved by both councils, the stages in order before the approval.
static SubmissionDocument Document(string jurisdiction, int projects, Random random)
{
    var approved = new DateTimeOffset(2027, 6, 30, 15, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 60 * 24 * 20));
    var entries = Enumerable.Range(1, projects).Select(rank =>
    {
        var cost = random.Next(20_000, 500_000) * 1.00m + random.Next(0, 100) / 100m;
        return new SubmittedProjectEntry(rank, Guid.CreateVersion7(), $"Proyecto {rank} de {jurisdiction}", cost, 100m - rank, $"OE{1 + random.Next(6)} del plan concertado",
            cost, new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), []);
    }).ToList();
    var ceiling = Math.Ceiling(entries.Sum(p => p.Cost) * 1.1m / 1000m) * 1000m;
    var acta = new SubmittedActa($"ACTA-PP-{jurisdiction}-2028-{random.Next(1, 999):000}", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), 2, 5 + random.Next(20),
        ["CoordinationCouncil", "Council"]);
    return new SubmissionDocument(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), jurisdiction, Jurisdictions.LevelOf(jurisdiction), 2028, ceiling, approved, acta,
        [
            new(Stage.Preparation, approved.AddDays(-120)), new(Stage.Concertation, approved.AddDays(-80)),
            new(Stage.Coordination, approved.AddDays(-30)), new(Stage.Formalization, approved.AddDays(-3)),
        ],
        entries);
}

// As ministry-submission signs: ECDSA P-256 over the content's SHA-256, IEEE P1363, the key named by its SPKI's SHA-256.
static SubmitRequest Sign(SubmissionDocument d, ECDsa key)
{
    var content = d.Canonicalize();
    var hash = SHA256.HashData(Encoding.UTF8.GetBytes(content));
    return new SubmitRequest
    {
        SubmissionId = d.SubmissionId.ToString(), Jurisdiction = d.Jurisdiction, ProcessId = d.ProcessId.ToString(), CanonicalContent = content,
        ContentHash = Convert.ToHexStringLower(hash), Signature = Convert.ToBase64String(key.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())),
    };
}

static string RegionOf(string code) => code[..2] + "0000";

static async Task<JsonElement> Ok(HttpResponseMessage response, CancellationToken ct)
{
    var body = await response.Content.ReadAsStringAsync(ct);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
    }
    return JsonDocument.Parse(body).RootElement.Clone();
}

static void Report(Run r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"[{r.Name}] {r.Latencies.Length:N0} in {r.Wall.TotalSeconds:F1} s ({r.Latencies.Length / r.Wall.TotalSeconds:F0}/s), p50 {Percentile(r.Latencies, 50):F0} ms, p99 {Percentile(r.Latencies, 99):F0} ms, "
    + $"{r.Errors.Values.Sum()} errors{string.Concat(r.Errors.Select(e => $"\n    {e.Value} × {e.Key}"))}"));

static string Check(string what, bool ok, string detail) => $"{(ok ? "ok  " : "FAIL")} {what} ({detail})";

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

static async Task<int> ServiceProcessIdAsync(DistributedApplication app, string resource, CancellationToken ct)
{
    // The AppHost starts a project under `dotnet run`; the service is its only child.
    var running = await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct);
    var launcher = int.Parse(running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value!.ToString()!, CultureInfo.InvariantCulture);
    var children = File.ReadAllText($"/proc/{launcher}/task/{launcher}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return children.Length == 1 ? int.Parse(children[0], CultureInfo.InvariantCulture) : launcher;
}

static double CpuSeconds(int pid)
{
    // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
    var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static double PeakRssMiB(int pid) =>
    long.Parse(File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static string Machine()
{
    var cpu = File.ReadAllLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    var memory = long.Parse(File.ReadAllLines("/proc/meminfo")[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0;
    return string.Create(CultureInfo.InvariantCulture, $"{cpu}, {Environment.ProcessorCount} cores, {memory:F1} GiB, .NET {Environment.Version}, load average {LoadAverage()}");
}

static int Arg(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Run(string Name, TimeSpan Wall, double[] Latencies, ConcurrentDictionary<string, string> Receipts, ConcurrentDictionary<string, int> Errors,
    double IntakeCpuSeconds, string Load);
