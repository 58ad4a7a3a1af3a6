using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PBServices.Allocation;
using PBServices.Allocation.Pabulib;

namespace PBServices.Voting.Bench;

public sealed record TallyRun(string Step, double Seconds, long PeakRssBytes, long RssBeforeBytes, int Ballots, int Funded, string Rule);

/// <summary>
/// The count of a million stored ballots: a generated approval election (Allocation's generator, as the
/// engine benchmark uses) becomes a process's proposals and, by COPY, its round's ballots; then the round
/// is closed and its result read through the gateway, which count them from the database each time.
/// </summary>
public static class TallyBench
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static async Task<List<TallyRun>> RunAsync(BenchSystem system, ProcessSetup setup, int voters, int projects, string rule, int reads, CancellationToken ct)
    {
        var election = ElectionGenerator.Generate(voters, projects, VoteType.Approval, seed: 1);
        var (process, round) = await setup.OpenVoteAsync("180309", election.Budget, election.Projects.Select(p => p.Cost).ToList(), rule, maxProjects: null, ct);
        // Proposals were submitted in the generator's order; the round lists them by proposal id.
        var byTitle = round.Projects.ToDictionary(p => p.Title);
        var ids = Enumerable.Range(0, projects).Select(i => byTitle[$"Proyecto {i + 1:000}"].ProposalId).ToArray();

        var load = Stopwatch.StartNew();
        await CopyBallotsAsync(system.DeliberationDb, round.Id, election.Ballots, ids, ct);
        Console.WriteLine($"  copied {voters:N0} ballots in {load.Elapsed.TotalSeconds:F1} s");

        var pid = await system.ServiceProcessIdAsync("deliberation", ct);
        var admin = setup.Gateway(await setup.TokenAsync("process-admin", process.Jurisdiction, $"pp-{process.Jurisdiction}", ct));
        var roundPath = $"/api/deliberation/processes/{process.Id}/rounds/{round.Id}";
        var runs = new List<TallyRun>
        {
            await MeasureAsync("close the round (counts it)", pid, rule, () => admin.PostAsync($"{roundPath}/closure", null, ct), ct),
        };
        var anyone = setup.Gateway();
        for (var i = 1; i <= reads; i++)
        {
            runs.Add(await MeasureAsync($"GET …/result, read {i}", pid, rule, () => anyone.GetAsync($"{roundPath}/result", ct), ct));
        }
        return runs;
    }

    private static async Task<TallyRun> MeasureAsync(string step, int pid, string rule, Func<Task<HttpResponseMessage>> send, CancellationToken ct)
    {
        // Collected first, and the peak reset (clear_refs 5), so the peak is this request's.
        GC.Collect();
        var before = Status(pid, "VmRSS");
        await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5", ct);
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var body = await response.Content.ReadAsStringAsync(ct);
        clock.Stop();
        var peak = Status(pid, "VmHWM");
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{step}: {(int)response.StatusCode} {body}");
        }
        using var result = JsonDocument.Parse(body);
        var ballots = result.RootElement.GetProperty("ballots").GetInt32();
        var funded = result.RootElement.GetProperty("projects").EnumerateArray().Count(p => p.GetProperty("verdict").GetString() == "Funded");
        return new TallyRun(step, clock.Elapsed.TotalSeconds, peak, before, ballots, funded, rule);
    }

    /// <summary>A line of /proc/PID/status in bytes (the kernel reports kB).</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task CopyBallotsAsync(string connectionString, Guid roundId, BallotSet ballots, Guid[] projectIds, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var receipts = new HashSet<long>(ballots.Count);
        var code = new char[14];
        var random = new byte[8];
        await using (var copy = await connection.BeginBinaryImportAsync("COPY ballots (id, round_id, receipt, channel, projects, points) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var b = 0; b < ballots.Count; b++)
            {
                long bits;
                do
                {
                    RandomNumberGenerator.Fill(random);
                    bits = BitConverter.ToInt64(random) & ((1L << 60) - 1);
                }
                while (!receipts.Add(bits));
                for (int i = 0, k = 0; i < 14; i++)
                {
                    code[i] = i is 4 or 9 ? '-' : Alphabet[(int)((bits >> (5 * k++)) & 31)];
                }
                var chosen = ballots.Projects(b);
                var projects = new Guid[chosen.Length];
                for (var i = 0; i < chosen.Length; i++)
                {
                    projects[i] = projectIds[chosen[i]];
                }
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(roundId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(new string(code), NpgsqlDbType.Text, ct);
                // One in twenty from a workshop's paper batch, so the result's online and paper counts both carry weight.
                await copy.WriteAsync(b % 20 == 0 ? "Paper" : "Online", NpgsqlDbType.Text, ct);
                await copy.WriteAsync(projects, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(Array.Empty<int>(), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using var analyze = new NpgsqlCommand("ANALYZE ballots", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }
}
