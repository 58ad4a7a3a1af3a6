using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Tests.Infrastructure;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>The audit log in the database: written with the change, one chain under concurrency, append-only, tampering detected.</summary>
public sealed class AuditLogTests(LocalBrokerAndDatabase servers) : IAsyncLifetime
{
    private static readonly Actor Admin = new("7d2f0a52-0c4e-4f43-9a55-2d1f3c4b5a61", "process-admin", "180301");
    private static readonly Guid ProcessId = Guid.NewGuid();
    private MigratedDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await MigratedDatabase.CreateAsync(servers);

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Twenty_units_of_work_committing_at_once_append_one_unbroken_chain()
    {
        const int writers = 20;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = 0;
        await Task.WhenAll(Enumerable.Range(1, writers).Select(async i =>
        {
            await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
            uow.Audit(Admin, "agent.accredited", ProcessId, $"agent-{i}", new { agent = i, status = "Accredited" });
            uow.Audit(Admin, "agent.training-recorded", ProcessId, $"agent-{i}", new { agent = i, hours = 8 });
            // Every transaction is open before any commits, so all twenty appends contend for the head.
            if (Interlocked.Increment(ref open) == writers)
            {
                allOpen.SetResult();
            }
            await allOpen.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await uow.CommitAsync(Ct);
        }));

        Assert.Equal(AuditVerification.Intact(2 * writers), await _database.Audit.VerifyAsync(Ct));
        var chain = await _database.ChainAsync();
        Assert.Equal(Enumerable.Range(1, 2 * writers).Select(i => (long)i), chain.Select(e => e.Sequence));
        // One transaction's entries are appended together, never interleaved with another's.
        for (var i = 0; i < chain.Count; i += 2)
        {
            Assert.Equal(chain[i].SubjectId, chain[i + 1].SubjectId);
            Assert.Equal(("agent.accredited", "agent.training-recorded"), (chain[i].Action, chain[i + 1].Action));
        }
        Assert.Equal(writers, chain.Select(e => e.SubjectId).Distinct().Count());
        Assert.Equal(AuditVerification.Intact(2 * writers), AuditChain.Verify(chain));
    }

    [Fact]
    public async Task An_entry_is_stored_with_who_what_when_and_why_as_it_was_recorded()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _database.AuditAsync(Admin, "list.project-dropped", ProcessId, "proposal-42",
            new { title = "Pistas y veredas en Pampa Inalámbrica", cost = 1_250_000.50m }, "No cabe en el techo presupuestal tras la coordinación provincial");

        var entry = Assert.Single(await _database.ChainAsync());
        Assert.Equal((1L, Admin.Subject, "process-admin", "180301", ProcessId, "list.project-dropped", "proposal-42"),
            (entry.Sequence, entry.Subject, entry.Role, entry.Jurisdiction, entry.ProcessId, entry.Action, entry.SubjectId));
        Assert.Equal("""{"cost":1250000.50,"title":"Pistas y veredas en Pampa Inalámbrica"}""", entry.NewValues);
        Assert.Equal("No cabe en el techo presupuestal tras la coordinación provincial", entry.Reason);
        Assert.InRange(entry.OccurredAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(AuditChain.GenesisHash, entry.PreviousHash);
        Assert.Equal(AuditChain.ComputeHash(entry), entry.Hash);
    }

    [Fact]
    public async Task Entries_of_a_unit_of_work_that_does_not_commit_are_not_appended_and_the_chain_goes_on()
    {
        await _database.AuditAsync(Admin, "process.opened", ProcessId, ProcessId.ToString(), new { name = "Ilo 2027" });
        await using (var abandoned = await _database.UnitOfWork.BeginAsync(Ct))
        {
            abandoned.Audit(Admin, "process.renamed", ProcessId, ProcessId.ToString(), new { name = "Abandoned" });
        }
        await _database.Db.ExecuteAsync("INSERT INTO proposals (id, title) VALUES (gen_random_uuid(), 'Agua potable')");
        // The duplicate title is refused only at COMMIT, after the entry was appended in the same transaction.
        var refusal = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
            await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO proposals (id, title) VALUES (gen_random_uuid(), 'Agua potable')", ct: Ct));
            uow.Audit(Admin, "proposal.submitted", ProcessId, "duplicate", new { title = "Agua potable" });
            await uow.CommitAsync(Ct);
        });
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refusal.SqlState);

        await _database.AuditAsync(Admin, "process.stage-advanced", ProcessId, ProcessId.ToString(), new { stage = "Concertation" });

        var chain = await _database.ChainAsync();
        Assert.Equal(["process.opened", "process.stage-advanced"], chain.Select(e => e.Action));
        Assert.Equal(AuditVerification.Intact(2), await _database.Audit.VerifyAsync(Ct));
    }

    [Theory]
    [InlineData("UPDATE audit_log SET reason = 'rewritten'")]
    [InlineData("DELETE FROM audit_log WHERE sequence = 1")]
    [InlineData("TRUNCATE audit_log")]
    [InlineData("UPDATE audit_head SET sequence = 0, hash = repeat('0', 64)")]
    [InlineData("DELETE FROM audit_head")]
    [InlineData("TRUNCATE audit_head")]
    public async Task The_database_refuses_to_change_or_remove_what_was_appended(string statement)
    {
        await _database.AuditAsync(Admin, "process.opened", ProcessId, ProcessId.ToString(), new { name = "Ilo 2027" });
        await _database.AuditAsync(Admin, "agent.accredited", ProcessId, "agent-1", new { status = "Accredited" });
        var before = await _database.ChainAsync();

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => _database.Db.ExecuteAsync(statement));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refusal.SqlState);
        Assert.Contains("refused", refusal.MessageText);
        Assert.Equal(before, await _database.ChainAsync());
        Assert.Equal(AuditVerification.Intact(2), await _database.Audit.VerifyAsync(Ct));
    }

    [Theory]
    [InlineData(2, false)] // the next number, but not linked to the last entry
    [InlineData(3, true)] // linked, but skipping a number
    [InlineData(1, true)] // the last entry's number again
    public async Task The_database_refuses_an_entry_that_does_not_extend_the_chain(long sequence, bool linkedToLast)
    {
        await _database.AuditAsync(Admin, "process.opened", ProcessId, ProcessId.ToString(), new { name = "Ilo 2027" });
        var last = Assert.Single(await _database.ChainAsync());
        var forged = last with { Sequence = sequence, PreviousHash = linkedToLast ? last.Hash : AuditChain.GenesisHash, Action = "process.closed" };
        forged = forged with { Hash = AuditChain.ComputeHash(forged) };

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => _database.Db.ExecuteAsync(
            """
            INSERT INTO audit_log (sequence, occurred_at, subject, role, jurisdiction, process_id, action, subject_id, new_values, reason, previous_hash, hash)
            VALUES (@Sequence, @OccurredAt, @Subject, @Role, @Jurisdiction, @ProcessId, @Action, @SubjectId, @NewValues, @Reason, @PreviousHash, @Hash)
            """, forged));

        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, refusal.SqlState);
        Assert.Contains("does not extend the chain", refusal.MessageText);
        Assert.Equal([last], await _database.ChainAsync());
    }

    [Theory]
    [InlineData("new values of entry 3 altered", "UPDATE audit_log SET new_values = '{\"cost\":1}' WHERE sequence = 3", 3)]
    [InlineData("reason of entry 2 added", "UPDATE audit_log SET reason = 'acordado en sesión' WHERE sequence = 2", 2)]
    [InlineData("entry 3 deleted", "DELETE FROM audit_log WHERE sequence = 3", 3)]
    [InlineData("entries 2 and 4 swapped", "UPDATE audit_log SET sequence = 1000 WHERE sequence = 2; UPDATE audit_log SET sequence = 2 WHERE sequence = 4; UPDATE audit_log SET sequence = 4 WHERE sequence = 1000", 2)]
    [InlineData("entry 1 deleted", "DELETE FROM audit_log WHERE sequence = 1", 1)]
    [InlineData("last entry deleted", "DELETE FROM audit_log WHERE sequence = 5", 5)]
    [InlineData("log emptied", "DELETE FROM audit_log", 1)]
    public async Task Tampering_that_bypasses_the_database_rules_is_detected_at_the_first_broken_entry(string tampering, string sql, long firstBroken)
    {
        for (var i = 1; i <= 5; i++)
        {
            await _database.AuditAsync(Admin, "proposal.assessed", ProcessId, $"proposal-{i}", new { cost = 100_000m * i, viable = true });
        }
        Assert.Equal(AuditVerification.Intact(5), await _database.Audit.VerifyAsync(Ct));

        await _database.TamperAsync(sql);

        var verification = await _database.Audit.VerifyAsync(Ct);
        Assert.False(verification.Ok, $"{tampering} went unnoticed");
        Assert.Equal(firstBroken, verification.FirstBrokenSequence);
        Assert.Equal(firstBroken - 1, verification.Entries);
        Assert.False(string.IsNullOrWhiteSpace(verification.Reason));
    }

    [Fact]
    public async Task An_entry_altered_and_rehashed_breaks_the_link_from_the_next_entry()
    {
        for (var i = 1; i <= 4; i++)
        {
            await _database.AuditAsync(Admin, "proposal.assessed", ProcessId, $"proposal-{i}", new { cost = 100_000m * i });
        }
        var second = (await _database.ChainAsync())[1];
        var forged = second with { NewValues = """{"cost":1}""" };
        forged = forged with { Hash = AuditChain.ComputeHash(forged) };
        await _database.TamperAsync("UPDATE audit_log SET new_values = @NewValues, hash = @Hash WHERE sequence = @Sequence", forged);

        var verification = await _database.Audit.VerifyAsync(Ct);

        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Contains("does not follow entry 2", verification.Reason);
    }

    [Fact]
    public async Task Verification_reads_one_snapshot_while_others_append()
    {
        var appending = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                await _database.AuditAsync(Admin, "ballot.counted", ProcessId, $"batch-{i}", new { batch = i });
            }
        }, Ct);
        var verifications = new List<AuditVerification>();
        while (!appending.IsCompleted)
        {
            verifications.Add(await _database.Audit.VerifyAsync(Ct));
        }
        await appending;

        Assert.All(verifications, v => Assert.True(v.Ok, v.Reason));
        Assert.Equal(AuditVerification.Intact(60), await _database.Audit.VerifyAsync(Ct));
    }
}
