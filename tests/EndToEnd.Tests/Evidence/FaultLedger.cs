using Npgsql;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// What the databases hold after the faults, against what the traffic was told: every acknowledged request's
/// effect once where it belongs, every event of the suite's jurisdictions published and consumed once by every
/// consumer of its type, nothing left in an outbox.
/// </summary>
public sealed class FaultLedger(SystemFixture system, FaultTraffic traffic)
{
    /// <summary>The suite's jurisdictions (050201–050209), as a LIKE pattern on an event's jurisdiction.</summary>
    public const string JurisdictionPattern = "0502%";

    public sealed record Verdict(List<string> Problems, List<string> Figures);

    /// <summary>Events that must have a consumer: the flows the traffic and the setup drive.</summary>
    private static readonly string[] ConsumedTypes = ["ProcessOpened", "StageAdvanced", "AgentAccredited", "TrainingAttended", "ProposalSubmitted", "AssessmentCompleted"];

    public async Task<Verdict> CheckAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var figures = new List<string>();

        // Applications: each acknowledged one is in registration once, with its one agent.
        await using (var registration = await system.OpenDatabaseAsync("registrationdb", ct))
        {
            var applications = await CountsAsync(registration, "SELECT id::text, 1 FROM applications WHERE process_id = @p", traffic.RegistrationProcess, ct);
            var agents = await CountsAsync(registration, "SELECT application_id::text, count(*) FROM agents WHERE process_id = @p AND application_id IS NOT NULL GROUP BY application_id", traffic.RegistrationProcess, ct);
            var acknowledged = traffic.AcknowledgedApplications.Select(a => a.ToString()).ToList();
            Missing(problems, "acknowledged application", acknowledged, applications, "registration");
            Doubled(problems, "acknowledged application's agent", acknowledged, agents, "registration");
            figures.Add($"applications: {acknowledged.Count} acknowledged, {applications.Count} in registration (the rest answered too late or not at all)");
        }

        // Proposals: in deliberation, and every one deliberation holds (acknowledged or not) reached the technical team's queue once.
        await using (var deliberation = await system.OpenDatabaseAsync("deliberationdb", ct))
        await using (var assessment = await system.OpenDatabaseAsync("assessmentdb", ct))
        {
            var proposals = await CountsAsync(deliberation, "SELECT id::text, 1 FROM proposals WHERE process_id = @p", traffic.ConcertationProcess, ct);
            var queued = await CountsAsync(assessment, "SELECT proposal_id::text, count(*) FROM assessments WHERE process_id = @p GROUP BY proposal_id", traffic.ConcertationProcess, ct);
            var acknowledged = traffic.AcknowledgedProposals.Select(p => p.ToString()).ToList();
            Missing(problems, "acknowledged proposal", acknowledged, proposals, "deliberation");
            Doubled(problems, "proposal", proposals.Keys, queued, "technical assessment's queue");
            foreach (var stray in queued.Keys.Except(proposals.Keys))
            {
                problems.Add($"technical assessment queues proposal {stray}, which deliberation does not hold");
            }
            figures.Add($"proposals: {acknowledged.Count} acknowledged, {proposals.Count} in deliberation, {queued.Count} in technical assessment's queue");

            // Ballots: each receipt once, one ballot per voter recorded, each acknowledged voter recorded.
            var receipts = await CountsAsync(deliberation, "SELECT receipt, count(*) FROM ballots WHERE round_id = @p GROUP BY receipt", traffic.RoundId, ct);
            var voters = await CountsAsync(deliberation, "SELECT agent_id::text, count(*) FROM voters WHERE round_id = @p GROUP BY agent_id", traffic.RoundId, ct);
            var acknowledgedBallots = traffic.AcknowledgedBallots.ToList();
            Doubled(problems, "acknowledged ballot receipt", acknowledgedBallots.Select(b => b.Receipt), receipts, "deliberation");
            Doubled(problems, "acknowledged voter", acknowledgedBallots.Select(b => b.Agent.ToString()), voters, "deliberation's voters");
            var ballots = receipts.Values.Sum();
            if (ballots != voters.Values.Sum())
            {
                problems.Add($"round {traffic.RoundId}: {ballots} ballots but {voters.Values.Sum()} voters recorded");
            }
            figures.Add($"ballots: {acknowledgedBallots.Count} acknowledged of {traffic.VotersTried} voters who tried, {ballots} ballots in deliberation");
        }

        await CheckEventsAsync(problems, figures, ct);
        return new Verdict(problems, figures);
    }

    /// <summary>
    /// Every event of the suite's jurisdictions in any outbox is sent, and every consumer that handled one event of
    /// a type handled every event of that type exactly once (the inbox's key allows no second; absence is a loss).
    /// </summary>
    private async Task CheckEventsAsync(List<string> problems, List<string> figures, CancellationToken ct)
    {
        var events = new Dictionary<Guid, (string Type, string Database)>();
        var unsent = 0;
        var inboxes = new List<(string Database, string Consumer, Guid EventId)>();
        foreach (var database in SystemState.Databases)
        {
            await using var connection = await system.OpenDatabaseAsync(database, ct);
            if (await ScalarAsync(connection, "SELECT to_regclass('outbox') IS NOT NULL", ct) is true)
            {
                await using var outbox = new NpgsqlCommand(
                    "SELECT event_id, event_type, sent_at IS NOT NULL AND parked_at IS NULL FROM outbox WHERE payload->>'jurisdiction' LIKE @j", connection)
                    { Parameters = { new("j", JurisdictionPattern) } };
                await using var reader = await outbox.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var type = reader.GetString(1);
                    events[reader.GetGuid(0)] = (type[(type.LastIndexOf('.') + 1)..], database);
                    if (!reader.GetBoolean(2))
                    {
                        unsent++;
                        problems.Add($"{database}: outbox event {reader.GetGuid(0)} ({type}) is not published");
                    }
                }
            }
            if (await ScalarAsync(connection, "SELECT to_regclass('inbox') IS NOT NULL", ct) is true)
            {
                await using var inbox = new NpgsqlCommand("SELECT consumer, event_id FROM inbox", connection);
                await using var reader = await inbox.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    inboxes.Add((database, reader.GetString(0), reader.GetGuid(1)));
                }
            }
        }

        var ours = inboxes.Where(i => events.ContainsKey(i.EventId)).ToList();
        var consumersByType = ours.GroupBy(i => events[i.EventId].Type)
            .ToDictionary(g => g.Key, g => g.Select(i => (i.Database, i.Consumer)).Distinct().ToList());
        foreach (var type in ConsumedTypes.Where(t => events.Values.Any(e => e.Type == t) && !consumersByType.ContainsKey(t)))
        {
            problems.Add($"no consumer recorded any {type} event of the suite's jurisdictions");
        }
        var handled = ours.GroupBy(i => (i.Database, i.Consumer, i.EventId)).ToDictionary(g => g.Key, g => g.Count());
        var deliveries = 0;
        foreach (var (eventId, (type, source)) in events)
        {
            foreach (var (database, consumer) in consumersByType.GetValueOrDefault(type) ?? [])
            {
                var times = handled.GetValueOrDefault((database, consumer, eventId));
                deliveries += times;
                if (times != 1)
                {
                    problems.Add($"{type} {eventId} from {source}: {ShortName(consumer)} in {database} handled it {times} times");
                }
            }
        }
        figures.Add($"events of 0502*: {events.Count} in outboxes ({unsent} unpublished), {consumersByType.Values.Sum(c => c.Count)} (type, consumer) pairs, {deliveries} inbox records checked");
        foreach (var (type, consumers) in consumersByType.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            figures.Add($"  {type} ×{events.Values.Count(e => e.Type == type)} → {string.Join(", ", consumers.Select(c => $"{c.Database}/{ShortName(c.Consumer)}"))}");
        }
    }

    private static string ShortName(string consumer) => consumer[(consumer.LastIndexOf('.') + 1)..];

    private static void Missing(List<string> problems, string what, IEnumerable<string> acknowledged, IReadOnlyDictionary<string, long> found, string where)
    {
        foreach (var id in acknowledged.Where(id => !found.ContainsKey(id)))
        {
            problems.Add($"{what} {id} is missing from {where}");
        }
    }

    private static void Doubled(List<string> problems, string what, IEnumerable<string> expected, IReadOnlyDictionary<string, long> found, string where)
    {
        foreach (var id in expected)
        {
            var times = found.GetValueOrDefault(id);
            if (times != 1)
            {
                problems.Add($"{what} {id} is in {where} {times} times");
            }
        }
    }

    private static async Task<Dictionary<string, long>> CountsAsync(NpgsqlConnection connection, string sql, Guid parameter, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("p", parameter) } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }
        return counts;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }
}
