using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using Npgsql;
using NpgsqlTypes;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// The promise that a crash loses nothing: while organisations register, agents propose and agents vote through the
/// gateway, RabbitMQ, PostgreSQL and every service are killed (SIGKILL) and restarted in turn. Afterwards every
/// acknowledged request's effect is found exactly once wherever it belongs, every event was consumed once by each of
/// its consumers, no outbox holds anything back and no error queue holds anything unexplained.
/// PB_FAULT_CYCLES sets how many times the whole round of faults is repeated (1 in CI; the benchmark's form is 10).
/// </summary>
[Collection(SystemDisruption.Name)]
public sealed class FaultInjectionTests(SystemFixture system)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("PB_FAULT_CYCLES"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    [Fact]
    public async Task Killing_the_broker_the_database_and_each_service_in_turn_loses_no_acknowledged_request_and_applies_no_event_twice()
    {
        var cycles = Cycles;
        var clock = Stopwatch.StartNew();
        var traffic = await SetUpAsync(voters: 700 * cycles);
        Report($"setup: {clock.Elapsed.TotalSeconds:0} s ({traffic.Voters.Count} voters ready)");

        var broker = new FaultBroker(system);
        var before = await broker.DeadLettersAsync(Ct);
        var injector = new FaultInjector(system);
        var windows = new List<FaultWindow>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var flowing = traffic.RunAsync(stop.Token);
        var trafficStarted = DateTimeOffset.UtcNow;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                foreach (var resource in FaultInjector.Resources)
                {
                    var window = await injector.KillAndRestartAsync(cycle, resource, Ct);
                    windows.Add(window);
                    Report($"cycle {cycle}: {resource} (pid {window.KilledPid}) killed, healthy again after {window.Downtime.TotalSeconds:0.0} s");
                    // Traffic through the whole system between two faults, so each outage starts from a working system.
                    await Task.Delay(TimeSpan.FromSeconds(3), Ct);
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        }
        finally
        {
            await stop.CancelAsync();
            await flowing;
        }
        var trafficStopped = DateTimeOffset.UtcNow;

        // The suite's own pooled connections (the voters' seeding) died with the postmaster: start the checks on fresh ones.
        NpgsqlConnection.ClearAllPools();
        var ledger = new FaultLedger(system, traffic);
        FaultLedger.Verdict verdict;
        var settled = Stopwatch.StartNew();
        do
        {
            verdict = await ledger.CheckAsync(Ct);
            if (verdict.Problems.Count == 0)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        }
        while (settled.Elapsed < TimeSpan.FromMinutes(3));
        var after = await broker.DeadLettersAsync(Ct);

        ReportFigures(traffic, windows, trafficStarted, trafficStopped, settled.Elapsed, verdict, before, after);
        Assert.True(verdict.Problems.Count == 0,
            $"{verdict.Problems.Count} problems after the faults, still there {settled.Elapsed.TotalSeconds:0} s after traffic stopped:\n" + string.Join('\n', verdict.Problems.Take(40)));
        Assert.NotEmpty(traffic.AcknowledgedApplications);
        Assert.NotEmpty(traffic.AcknowledgedProposals);
        Assert.NotEmpty(traffic.AcknowledgedBallots);

        // Letters there before the faults belong to earlier suites' deliberate refusals; one the faults added is a lost event.
        var known = before.Select(l => (l.Queue, l.MessageId)).ToHashSet();
        var added = after.Where(l => !known.Contains((l.Queue, l.MessageId))).ToList();
        Assert.True(added.Count == 0, "the faults left messages in error queues:\n" + string.Join('\n', added));
    }

    /// <summary>Three processes of Ite's jurisdictions (0502), one per flow, each at the stage its flow needs.</summary>
    private async Task<FaultTraffic> SetUpAsync(int voters)
    {
        var registration = await ProcessStory.OpenAsync(system, "050201", "Presupuesto Participativo Ite 2027 (inscripción)", 2_000_000m, Ct);
        var resident = Client(await system.TokenAsync("resident", "050201", "vecina-ite"));

        var concertation = await ProcessStory.OpenAsync(system, "050202", "Presupuesto Participativo Ilabaya 2027 (talleres)", 50_000_000m, Ct);
        var agents = await concertation.AccreditAgentsAsync(("Luz Condori Mamani", "05029201", "Comité de Vaso de Leche Ilabaya"),
            ("Rosa Huamán Quispe", "05029202", "Club de Madres Ilabaya"), ("Julia Ticona Apaza", "05029203", "Junta Vecinal Ilabaya"));
        await concertation.StartConcertationAsync();
        var proposers = new List<HttpClient>();
        foreach (var agent in agents)
        {
            var proposer = Client(await system.TokenAsync("agent", "050202", agent.Id.ToString()));
            // The first proposal of each, retried until accepted, proves deliberation knows the agent.
            using var first = await ProcessSteps.UntilAsync(() => proposer.PostAsJsonAsync($"/api/deliberation/processes/{concertation.Process.Id}/proposals",
                ProcessSteps.Proposal($"Primera obra de {agent.FullName}", 60_000m), Ct), HttpStatusCode.Created, $"deliberation to accept {agent.FullName}'s proposal");
            proposers.Add(proposer);
        }

        var voting = await ProcessStory.OpenAsync(system, "050203", "Presupuesto Participativo Locumba 2027 (votación)", 3_000_000m, Ct);
        await voting.AccreditAgentAsync("Elena Flores Choque", "05029301", "Asociación de Productores Locumba");
        await voting.StartConcertationAsync();
        var water = await voting.ProposeAsync("Agua potable Locumba", 900_000m);
        var school = await voting.ProposeAsync("Aulas IE Locumba", 700_000m);
        await voting.AssessAsync((water, true, 80m, "Viable"), (school, true, 70m, "Viable"));
        var opened = await voting.Admin.PostAsJsonAsync($"/api/deliberation/processes/{voting.Process.Id}/rounds", new { }, Ct);
        Assert.True(opened.StatusCode == HttpStatusCode.Created, $"open the vote: {(int)opened.StatusCode} {await opened.Content.ReadAsStringAsync(Ct)}");
        var round = (await opened.Content.ReadFromJsonAsync<VotingTests.RoundDto>(Ct))!;

        var voterIds = await SeedVotersAsync(voting.Process.Id, voters);
        var tokens = await VoterTokensAsync(voterIds);
        return new FaultTraffic
        {
            RegistrationProcess = registration.Process.Id, Resident = resident,
            ConcertationProcess = concertation.Process.Id, Proposers = proposers,
            VotingProcess = voting.Process.Id, RoundId = round.Id, BallotProject = water.Id,
            Voters = voterIds.Select((id, i) => (id, Client(tokens[i]))).ToList(),
        };
    }

    /// <summary>
    /// Many voters at once, as deliberation's copies of AgentAccredited and TrainingAttended leave them (as the voting
    /// benchmark does): the eligibility the ballot endpoint checks is the real check on real rows.
    /// </summary>
    private async Task<List<Guid>> SeedVotersAsync(Guid processId, int count)
    {
        var agents = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        var session = Guid.NewGuid();
        await using var connection = await system.OpenDatabaseAsync("deliberationdb", Ct);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY accredited_agents (agent_id, process_id, full_name) FROM STDIN (FORMAT BINARY)", Ct))
        {
            for (var i = 0; i < agents.Count; i++)
            {
                await copy.StartRowAsync(Ct);
                await copy.WriteAsync(agents[i], NpgsqlDbType.Uuid, Ct);
                await copy.WriteAsync(processId, NpgsqlDbType.Uuid, Ct);
                await copy.WriteAsync($"Votante {i + 1}", NpgsqlDbType.Text, Ct);
            }
            await copy.CompleteAsync(Ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY training_attendance (agent_id, session_id, process_id, date) FROM STDIN (FORMAT BINARY)", Ct))
        {
            foreach (var agent in agents)
            {
                await copy.StartRowAsync(Ct);
                await copy.WriteAsync(agent, NpgsqlDbType.Uuid, Ct);
                await copy.WriteAsync(session, NpgsqlDbType.Uuid, Ct);
                await copy.WriteAsync(processId, NpgsqlDbType.Uuid, Ct);
                await copy.WriteAsync(ProcessStory.TodayInLima, NpgsqlDbType.Date, Ct);
            }
            await copy.CompleteAsync(Ct);
        }
        await using (var analyze = new NpgsqlCommand("ANALYZE accredited_agents; ANALYZE training_attendance", connection))
        {
            await analyze.ExecuteNonQueryAsync(Ct);
        }
        return agents;
    }

    /// <summary>The voters' tokens straight from registration: through the gateway they would share one address's anonymous rate limit.</summary>
    private async Task<string[]> VoterTokensAsync(IReadOnlyList<Guid> agents)
    {
        using var registration = system.App.CreateHttpClient("registration", "http");
        var tokens = new string[agents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, agents.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, c) =>
        {
            using var response = await registration.PostAsJsonAsync("/api/registration/dev-tokens", new { subject = agents[i].ToString(), roles = new[] { "agent" }, jurisdiction = "050203" }, c);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<SystemFixture.TokenResponse>(c))!.access_token;
        });
        return tokens;
    }

    /// <summary>A gateway client with a short timeout: a request stuck on a dead service counts as refused, it does not stall its flow.</summary>
    private HttpClient Client(string token)
    {
        var client = system.App.CreateHttpClient("gateway", "http");
        client.Timeout = TimeSpan.FromSeconds(20);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static void ReportFigures(FaultTraffic traffic, List<FaultWindow> windows, DateTimeOffset started, DateTimeOffset stopped, TimeSpan settle,
        FaultLedger.Verdict verdict, List<DeadLetter> before, List<DeadLetter> after)
    {
        var attempts = traffic.Attempts.ToList();
        Report($"load average {File.ReadAllText("/proc/loadavg").Trim()}; {windows.Count} faults in {windows.Select(w => w.Cycle).DefaultIfEmpty().Max()} cycles; "
            + $"traffic {(stopped - started).TotalSeconds:0} s; settled {settle.TotalSeconds:0} s after it stopped");
        Report("fault                 | n  | downtime to healthy s (mean / max) | during the outage: acknowledged / refused (application, proposal, ballot)");
        foreach (var kind in windows.GroupBy(w => w.Resource))
        {
            var during = attempts.Where(a => kind.Any(a.During)).ToList();
            // A registration refused at its first step (the organisation) is a refused application too.
            string Flow(string flow) => $"{during.Count(a => a.Kind == flow && a.Acknowledged)}/{during.Count(a => a.Kind.StartsWith(flow, StringComparison.Ordinal) && !a.Acknowledged)}";
            Report($"{kind.Key,-21} | {kind.Count(),-2} | {kind.Average(w => w.Downtime.TotalSeconds),6:0.0} / {kind.Max(w => w.Downtime.TotalSeconds),6:0.0}              | "
                + $"{Flow(FaultTraffic.Applications)}, {Flow(FaultTraffic.Proposals)}, {Flow(FaultTraffic.Ballots)}");
        }
        var outside = attempts.Where(a => !a.Acknowledged && !windows.Any(a.During)).ToList();
        Report($"requests: {attempts.Count} sent, {attempts.Count(a => a.Acknowledged)} acknowledged, {attempts.Count(a => !a.Acknowledged)} refused or unanswered "
            + $"({outside.Count} outside any outage window: {string.Join(", ", outside.GroupBy(a => $"{a.Kind} {a.Outcome}").Select(g => $"{g.Key} ×{g.Count()}"))})");
        Report("refusals by answer: " + string.Join(", ", attempts.Where(a => !a.Acknowledged).GroupBy(a => $"{a.Kind} {a.Outcome}").OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ×{g.Count()}")));
        foreach (var figure in verdict.Figures)
        {
            Report(figure);
        }
        Report($"verified: {verdict.Problems.Count} problems");
        Report($"error and skipped queues: {before.Count} messages before the faults, {after.Count} after");
        foreach (var letter in after)
        {
            Report($"  {(before.Any(b => b.Queue == letter.Queue && b.MessageId == letter.MessageId) ? "before the faults (an earlier suite's refusal)" : "ADDED BY THE FAULTS")}: {letter}");
        }
    }

    private static void Report(string line) => EvidenceLog.Write("faults", line);
}
