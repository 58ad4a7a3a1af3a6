using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace PBServices.Voting.Bench;

/// <summary>
/// PostgreSQL alone committing a ballot's rows, with Debian's pgbench against the same server, database and
/// tables the service writes, at the same client count: the ceiling the service's rate is compared with.
/// </summary>
public static partial class PgBench
{
    /// <summary>
    /// The service's ballot transaction without the service: the voter row, the ballot row with its receipt,
    /// and the audit entry, appended the way AuditWriter does (lock the head, then insert; the trigger checks
    /// the link). The entry's hash is a SHA-256 over its fields, not the service's exact encoding: the chain
    /// stays linked, and this database is thrown away after the run.
    /// </summary>
    public const string SameRowsAsTheService = """
        BEGIN;
        INSERT INTO voters (round_id, agent_id) VALUES (:round, gen_random_uuid());
        INSERT INTO ballots (id, round_id, receipt, channel, projects, points)
          SELECT gen_random_uuid(), :round, upper(substr(u, 1, 4) || '-' || substr(u, 5, 4) || '-' || substr(u, 10, 4)), 'Online', ARRAY[:p1::uuid, :p2::uuid], '{}'::int[]
          FROM (SELECT gen_random_uuid()::text AS u) r;
        SELECT sequence AS head_sequence, hash AS head_hash FROM audit_head WHERE id = 1 FOR UPDATE \gset
        INSERT INTO audit_log (sequence, occurred_at, subject, role, jurisdiction, process_id, action, subject_id, new_values, reason, previous_hash, hash)
          VALUES (:head_sequence + 1, now(), 'pgbench', 'agent', :jurisdiction, :process, 'ballot.cast', :round, '{"Round":"' || :round || '"}', NULL, :head_hash,
                  encode(sha256(convert_to((:head_sequence + 1)::text || :head_hash || :round, 'UTF8')), 'hex'));
        END;
        """;

    /// <summary>
    /// The rows as the issue words them: voter, ballot, and an event in the outbox. The row is written as
    /// already sent, so the service's relay leaves it alone; no audit entry, so nothing serialises the commits.
    /// </summary>
    public const string VoterBallotOutbox = """
        BEGIN;
        INSERT INTO voters (round_id, agent_id) VALUES (:round, gen_random_uuid());
        INSERT INTO ballots (id, round_id, receipt, channel, projects, points)
          SELECT gen_random_uuid(), :round, upper(substr(u, 1, 4) || '-' || substr(u, 5, 4) || '-' || substr(u, 10, 4)), 'Online', ARRAY[:p1::uuid, :p2::uuid], '{}'::int[]
          FROM (SELECT gen_random_uuid()::text AS u) r;
        INSERT INTO outbox (event_id, event_type, payload, occurred_at, sent_at)
          VALUES (gen_random_uuid(), 'PBServices.Bench.BallotCast', ('{"roundId":"' || :round || '"}')::jsonb, now(), now());
        END;
        """;

    public static string Binary()
    {
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).Where(File.Exists).OrderDescending().FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException("pgbench is missing: it ships with Debian's postgresql package (run bash deploy/local/prerequisites.sh)");
    }

    public static async Task<RunStats> RunAsync(string name, string script, string connectionString, int clients, int seconds,
        IReadOnlyDictionary<string, string> variables, CancellationToken ct)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var dir = Directory.CreateTempSubdirectory("pb-pgbench-");
        try
        {
            var scriptFile = Path.Combine(dir.FullName, "ballot.sql");
            await File.WriteAllTextAsync(scriptFile, script, ct);
            var start = new ProcessStartInfo(Binary())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir.FullName,
            };
            foreach (var a in new[]
                     {
                         "-h", c.Host!, "-p", c.Port.ToString(CultureInfo.InvariantCulture), "-U", c.Username!, "-n", "-M", "prepared",
                         "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
                         "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", scriptFile, "-l", "--log-prefix", Path.Combine(dir.FullName, "tx"),
                     })
            {
                start.ArgumentList.Add(a);
            }
            foreach (var (k, v) in variables)
            {
                start.ArgumentList.Add("-D");
                start.ArgumentList.Add($"{k}={v}");
            }
            start.ArgumentList.Add(c.Database!);
            if (c.Password is { } password)
            {
                start.Environment["PGPASSWORD"] = password;
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var output = await stdout;
            var failed = FailedTransactions().Match(output) is { Success: true } f ? int.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            if (process.ExitCode != 0 || Tps().Match(output) is not { Success: true } tps)
            {
                throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {output}\n{await stderr}");
            }
            // Per-transaction log: client, transaction number, latency in µs, script, epoch seconds, µs.
            var latencies = Directory.GetFiles(dir.FullName, "tx.*")
                .SelectMany(File.ReadLines)
                .Select(line => line.Split(' '))
                .Where(fields => fields.Length >= 3 && fields[2] != "failed")
                .Select(fields => double.Parse(fields[2], CultureInfo.InvariantCulture) / 1000.0)
                .Order()
                .ToArray();
            var rate = double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
            var errors = failed > 0 ? new Dictionary<string, int> { ["failed"] = failed } : new Dictionary<string, int>();
            return new RunStats(name, clients, latencies.Length, latencies.Length / rate, latencies, errors);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"number of failed transactions: (\d+)")]
    private static partial Regex FailedTransactions();
}
