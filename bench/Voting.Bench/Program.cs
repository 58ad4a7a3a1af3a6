using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using PBServices.Voting.Bench;

// Voting peaks (issue 13, "Scale"), in one run on this machine:
//   1. ballots cast by agents with their tokens, closed loop at each client count, through the gateway and straight to
//      deliberation (alternating), beside pgbench committing the same rows to the same PostgreSQL at the same client count;
//   2. a million stored ballots over 200 projects counted from the database by the service (close, then GET …/result).
// Usage: dotnet run -c Release --project bench/Voting.Bench -- [--voters N] [--warmup N] [--clients 16,32]
//        [--pgbench-seconds S] [--tally-ballots N] [--tally-projects M] [--tally-rule mes] [--tally-reads R] [--skip-ballots] [--skip-tally]
if (typeof(BenchSystem).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration != "Release")
{
    Console.Error.WriteLine("Measure Release builds: dotnet run -c Release --project bench/Voting.Bench");
    return 1;
}
var voters = Arg("--voters", 10_000);
var warmup = Arg("--warmup", 1_000);
var clients = Text("--clients", "1,16,32").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var pgbenchSeconds = Arg("--pgbench-seconds", 20);
var tallyBallots = Arg("--tally-ballots", 1_000_000);
var tallyProjects = Arg("--tally-projects", 200);
var tallyRule = Text("--tally-rule", "mes");
var tallyReads = Arg("--tally-reads", 3);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;

Console.WriteLine($"Starting the system (AppHost, fresh data folder)… load average {LoadAverage()}");
await using var system = await BenchSystem.StartAsync(ct);
var setup = new ProcessSetup(system);
var deliberationPid = await system.ServiceProcessIdAsync("deliberation", ct);
var gatewayPid = await system.ServiceProcessIdAsync("gateway", ct);
Console.WriteLine($"deliberation: {BenchSystem.CommandLine(deliberationPid)}");
Console.WriteLine($"gateway:      {BenchSystem.CommandLine(gatewayPid)}");
var gatewayAddress = BenchSystem.KestrelAddress(gatewayPid, "http");
Console.WriteLine($"ballots go to the gateway's own port {gatewayAddress} (it forwards through the AppHost's proxy) and to deliberation through that proxy, {system.DeliberationAddress}");

var ballotRuns = new List<(RunStats Gateway, RunStats Direct, RunStats SameRows, RunStats Outbox, string Load)>();
if (!Flag("--skip-ballots"))
{
    for (var c = 0; c < clients.Length; c++)
    {
        var n = clients[c];
        var jurisdiction = $"18030{c + 1}";
        Console.WriteLine($"[{n} clients] process {jurisdiction}: open, accredit, propose, assess, open the vote…");
        var (process, round) = await setup.OpenVoteAsync(jurisdiction, 2_000_000m, [400_000m, 300_000m, 500_000m, 150_000m, 250_000m], "mes-add1", maxProjects: 3, ct);
        Console.WriteLine($"[{n} clients] seeding {warmup + 2 * voters:N0} accredited, trained voters; minting their tokens…");
        var agents = await setup.SeedVotersAsync(process.Id, warmup + 2 * voters, ct);
        var tokens = await setup.AgentTokensAsync(agents, jurisdiction, ct);
        var path = $"/api/deliberation/processes/{process.Id}/rounds/{round.Id}/ballots";
        var random = new Random(n);
        var requests = tokens.Select(t =>
        {
            // Each voter approves one to three of the five projects.
            var chosen = round.Projects.Select(p => p.ProposalId).OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToArray();
            return new LoadClient.Request(path, t, JsonSerializer.SerializeToUtf8Bytes(new { projects = chosen }));
        }).ToList();

        // Warm-up: JIT, connection pools, caches, on both paths; not recorded.
        var half = warmup / 2;
        var warm = await LoadClient.RunAsync("warm-up", gatewayAddress, requests[..half], n, HttpStatusCode.Created, ct);
        var warmDirect = await LoadClient.RunAsync("warm-up", system.DeliberationAddress, requests[half..warmup], n, HttpStatusCode.Created, ct);
        Console.WriteLine($"[{n} clients] warm-up {warm.Requests + warmDirect.Requests:N0} ballots, {warm.ErrorCount + warmDirect.ErrorCount} errors");
        var loadBefore = LoadAverage();
        // The same calls through the gateway and straight to deliberation, in alternating quarters of the voters, so a
        // drift in the machine's load falls on both paths alike.
        var measured = requests[warmup..];
        var quarter = measured.Count / 4;
        var viaGateway = new List<RunStats>();
        var direct = new List<RunStats>();
        for (var q = 0; q < 4; q++)
        {
            var slice = measured.GetRange(q * quarter, q == 3 ? measured.Count - 3 * quarter : quarter);
            (q % 2 == 0 ? viaGateway : direct).Add(await LoadClient.RunAsync(q % 2 == 0 ? "gateway → deliberation" : "straight to deliberation",
                q % 2 == 0 ? gatewayAddress : system.DeliberationAddress, slice, n, HttpStatusCode.Created, ct));
        }
        var gateway = RunStats.Combine(viaGateway);
        var straight = RunStats.Combine(direct);
        Console.WriteLine($"[{n} clients] gateway: {gateway.Rate:F0} ballots/s, p50 {gateway.Percentile(50):F1} ms, {gateway.ErrorCount} errors; " +
            $"direct: {straight.Rate:F0} ballots/s, p50 {straight.Percentile(50):F1} ms, {straight.ErrorCount} errors");
        await VerifyStoredAsync(system.DeliberationDb, round.Id, warmup + 2 * voters - warm.ErrorCount - warmDirect.ErrorCount - gateway.ErrorCount - straight.ErrorCount, ct);

        var variables = new Dictionary<string, string>
        {
            ["round"] = round.Id.ToString(), ["process"] = process.Id.ToString(), ["jurisdiction"] = jurisdiction,
            ["p1"] = round.Projects[0].ProposalId.ToString(), ["p2"] = round.Projects[1].ProposalId.ToString(),
        };
        var sameRows = await PgBench.RunAsync("pgbench, the service's rows", PgBench.SameRowsAsTheService, system.DeliberationDb, n, pgbenchSeconds, variables, ct);
        Console.WriteLine($"[{n} clients] pgbench (voter, ballot, audit entry): {sameRows.Rate:F0}/s, p99 {sameRows.Percentile(99):F1} ms");
        var outbox = await PgBench.RunAsync("pgbench, voter + ballot + outbox", PgBench.VoterBallotOutbox, system.DeliberationDb, n, pgbenchSeconds, variables, ct);
        Console.WriteLine($"[{n} clients] pgbench (voter, ballot, outbox row): {outbox.Rate:F0}/s, p99 {outbox.Percentile(99):F1} ms");
        ballotRuns.Add((gateway, straight, sameRows, outbox, $"{loadBefore} → {LoadAverage()}"));
    }
}

var tallyRuns = new List<TallyRun>();
var tallyLoad = "";
if (!Flag("--skip-tally"))
{
    Console.WriteLine($"Tally: {tallyBallots:N0} approval ballots over {tallyProjects} projects, rule {tallyRule}…");
    var before = LoadAverage();
    tallyRuns = await TallyBench.RunAsync(system, setup, tallyBallots, tallyProjects, tallyRule, tallyReads, ct);
    tallyLoad = $"{before} → {LoadAverage()}";
}

var report = new StringBuilder();
if (ballotRuns.Count > 0)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"Ballots: {voters:N0} per path and client count after {warmup:N0} warm-up; pgbench {pgbenchSeconds} s per script");
    report.AppendLine("| clients | path | ballots | rate (/s) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | errors | load average |");
    report.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    foreach (var (gateway, straight, sameRows, outbox, load) in ballotRuns)
    {
        foreach (var r in new[] { gateway, straight, sameRows, outbox })
        {
            var errors = r.ErrorCount == 0 ? "0" : $"{r.ErrorCount} ({string.Join(", ", r.Errors.Select(e => $"{e.Key}: {e.Value}"))})";
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Clients} | {r.Name} | {r.Requests:N0} | {r.Rate:F0} | {r.Percentile(50):F1} | {r.Percentile(95):F1} | {r.Percentile(99):F1} | {r.Max:F1} | {errors} | {(r == gateway ? load : "")} |");
        }
        var ratio = gateway.Rate / sameRows.Rate;
        report.AppendLine(CultureInfo.InvariantCulture,
            $"|  | **gateway / pgbench (same rows)** | | **{ratio:P0}** | | | | | | target ≥ 50 % and p99 < 50 ms: {(ratio >= 0.5 && gateway.Percentile(99) < 50 ? "met" : "not met")} |");
        var share = gateway.Rate / straight.Rate;
        var added = gateway.Percentile(50) - straight.Percentile(50);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"|  | **gateway / direct** | | **{share:P0}** | **{added:+0.0;-0.0} ms** | | | | | target ≥ 90 % and ≤ 2 ms added at p50: {(share >= 0.9 && added <= 2 ? "met" : "not met")} |");
    }
}
if (tallyRuns.Count > 0)
{
    report.AppendLine();
    report.AppendLine(CultureInfo.InvariantCulture, $"Tally: {tallyBallots:N0} stored ballots over {tallyProjects} projects, rule {tallyRule}, load average {tallyLoad}");
    report.AppendLine("| step | time (s) | deliberation RSS before (MiB) | peak RSS during (MiB) | ballots | funded | target < 5 s and < 1 GiB |");
    report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
    foreach (var t in tallyRuns)
    {
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {t.Step} | {t.Seconds:F2} | {t.RssBeforeBytes / 1048576.0:F0} | {t.PeakRssBytes / 1048576.0:F0} | {t.Ballots:N0} | {t.Funded} | {(t.Seconds < 5 && t.PeakRssBytes < 1L << 30 ? "met" : "not met")} |");
    }
}
Console.WriteLine();
Console.WriteLine(report);
return 0;

static async Task VerifyStoredAsync(string connectionString, Guid roundId, int expected, CancellationToken ct)
{
    await using var connection = new Npgsql.NpgsqlConnection(connectionString);
    await connection.OpenAsync(ct);
    await using var command = new Npgsql.NpgsqlCommand("SELECT (SELECT count(*) FROM voters WHERE round_id = @r), (SELECT count(*) FROM ballots WHERE round_id = @r)", connection);
    command.Parameters.AddWithValue("r", roundId);
    await using var reader = await command.ExecuteReaderAsync(ct);
    await reader.ReadAsync(ct);
    var (votersStored, ballotsStored) = (reader.GetInt64(0), reader.GetInt64(1));
    if (votersStored != expected || ballotsStored != expected)
    {
        throw new InvalidOperationException($"Expected {expected} voters and ballots stored, found {votersStored} and {ballotsStored}");
    }
}

int Arg(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string Text(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

bool Flag(string name) => args.Contains(name);

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
