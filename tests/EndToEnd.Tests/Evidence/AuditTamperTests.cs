using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// Every service's hash chain verifies, and an edit made behind the services' back — by someone with the database's
/// superuser, who can switch the append-only triggers off — is found at the entry it touched. A deleted entry is
/// found too. Each tampered row is put back, so the chains verify again for whatever runs next.
/// </summary>
[Collection(SystemDisruption.Name)]
public sealed class AuditTamperTests(SystemFixture system)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Gateway prefix (or the intake's) → the service's database.
    private static readonly (string Prefix, string Database)[] Services =
    [
        ("/api/registration", "registrationdb"), ("/api/deliberation", "deliberationdb"), ("/api/assessment", "assessmentdb"),
        ("/api/coordination", "coordinationdb"), ("/api/submissions", "submissiondb"), ("/api/oversight", "oversightdb"), ("/api/intake", "intakedb"),
    ];

    [Fact]
    public async Task Every_chain_verifies_and_an_entry_edited_or_deleted_in_the_database_is_found_in_each_service()
    {
        // One process taken through every service, so each chain holds entries of it: opened, registered, proposed,
        // assessed, coordinated, formalized, submitted, received by the intake, and its oversight settings set.
        const string jurisdiction = "010201";
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Chachapoyas 2027", 800_000m, Ct);
        await story.AccreditAndTrainAsync(ProcessStory.Neighbours("010201"));
        await story.StartConcertationAsync();
        var agua = await story.ProposeAsync("Agua potable Levanto", 450_000m);
        await story.AssessAsync((agua, true, 80m, "Viable: brecha de agua priorizada"));
        await story.PrioritizeAsync();
        await story.FormalizeAndDeliverAsync("ACTA-PP-CHACHAPOYAS-2027-001");
        await ProcessSteps.UntilAsync(() => story.Admin.PutAsJsonAsync($"/api/oversight/processes/{story.Process.Id}/settings",
            new { budgetDeadline = "2026-12-31", answerDays = 15, staleDays = 60, termEnds = "2027-12-31" }, Ct), HttpStatusCode.OK, "oversight to know the process");

        var before = await system.AuditChainsAsync(Ct);
        Assert.All(before, c => Assert.True(c.Value.Ok, $"{c.Key}: {c.Value.Reason}"));

        foreach (var (prefix, database) in Services)
        {
            await using var connection = await system.OpenDatabaseAsync(database, Ct);
            // The process's entry in this service (the intake's receipt carries the process too), and one after it if any.
            var sequence = await Eventually.Get(async () => await ScalarAsync<long?>(connection,
                "SELECT min(sequence) FROM audit_log WHERE process_id = @p", story.Process.Id) is { } found ? (object)found : null,
                $"{database} to hold an audit entry of the process") is long s ? s : 0;
            var original = await ScalarAsync<string>(connection, "SELECT reason FROM audit_log WHERE sequence = @s", sequence);

            await TamperAsync(connection, "UPDATE audit_log SET reason = 'Aprobado sin observaciones' WHERE sequence = @s", sequence);
            var edited = await system.AuditChainAsync(prefix, Ct);
            Assert.False(edited.Ok, $"{prefix}: an edited entry went unnoticed");
            Assert.Equal(sequence, edited.FirstBrokenSequence);
            Assert.Contains("altered", edited.Reason);

            await TamperAsync(connection, "UPDATE audit_log SET reason = @r WHERE sequence = @s", sequence, original);
            var restored = await system.AuditChainAsync(prefix, Ct);
            Assert.True(restored.Ok, $"{prefix}: {restored.Reason}");
            Assert.True(restored.Entries >= before[prefix].Entries);
            EvidenceLog.Write("audit", $"{prefix}: entry {sequence} of {restored.Entries} edited → found at {edited.FirstBrokenSequence} ({edited.Reason}); restored → intact");
        }

        // A deleted entry breaks the sequence at the gap, even with its neighbours intact.
        await using (var registration = await system.OpenDatabaseAsync("registrationdb", Ct))
        {
            var sequence = (await ScalarAsync<long?>(registration, "SELECT min(sequence) FROM audit_log WHERE process_id = @p", story.Process.Id))!.Value;
            var backup = $"audit_backup_{Guid.NewGuid():N}";
            await TamperAsync(registration, $"CREATE TEMP TABLE {backup} AS SELECT * FROM audit_log WHERE sequence = @s; DELETE FROM audit_log WHERE sequence = @s", sequence);
            var deleted = await system.AuditChainAsync("/api/registration", Ct);
            Assert.False(deleted.Ok);
            Assert.Equal(sequence, deleted.FirstBrokenSequence);
            Assert.Contains("missing", deleted.Reason);
            await TamperAsync(registration, $"INSERT INTO audit_log SELECT * FROM {backup}; DROP TABLE {backup}", sequence);
            Assert.True((await system.AuditChainAsync("/api/registration", Ct)).Ok);
        }

        var after = await system.AuditChainsAsync(Ct);
        Assert.All(after, c => Assert.True(c.Value.Ok, $"{c.Key}: {c.Value.Reason}"));
    }

    /// <summary>As the superuser, with triggers off for this transaction only (replica mode): what a tamperer with server access can do.</summary>
    private static async Task TamperAsync(NpgsqlConnection connection, string sql, long? sequence, string? reason = null)
    {
        await using var tx = await connection.BeginTransactionAsync(Ct);
        await using (var replica = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, tx))
        {
            await replica.ExecuteNonQueryAsync(Ct);
        }
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddWithValue("s", sequence!.Value);
        command.Parameters.AddWithValue("r", (object?)reason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(Ct);
        await tx.CommitAsync(Ct);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, object? value)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(sql.Contains("@p", StringComparison.Ordinal) ? "p" : "s", value!);
        var result = await command.ExecuteScalarAsync(Ct);
        return result is DBNull or null ? default : (T)result;
    }
}
