using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.MinistrySubmission.Infrastructure;

/// <summary>The Ministry's decision on a project, as the submission's page shows it.</summary>
public sealed record ProjectDecisionView(string Decision, decimal ApprovedAmount, string Reason, DateTimeOffset DecidedAt);

public sealed record SubmittedProjectView(Guid ProposalId, string Title, decimal Cost, decimal Score, int Rank, ProjectDecisionView? Decision);

public sealed record SubmissionView(Guid SubmissionId, Guid ProcessId, string Jurisdiction, int FiscalYear, SubmissionStatus Status, string ContentHash,
    string? IntakeReceipt, decimal TotalCost, int Attempts, string? LastError, DateTimeOffset? DeliveredAt,
    /// <summary>The intake's reasons when it refused the package.</summary>
    string? RejectionReason,
    /// <summary>The key the package was signed with when sent (SHA-256 of its SubjectPublicKeyInfo); null while pending.</summary>
    string? KeyId,
    IReadOnlyList<SubmittedProjectView> Projects,
    /// <summary>How many escalated findings of earlier years the package's oversight report carries to the Ministry.</summary>
    int ReportedFindings);

public sealed record DecisionView(Guid DecisionId, long Sequence, Guid ProcessId, Guid ProposalId, string Decision, decimal ApprovedAmount, string Reason,
    DateTimeOffset DecidedAt);

/// <summary>Every SQL statement of the submission side lives here.</summary>
internal static class SubmissionStore
{
    public static Task InsertSubmissionAsync(this UnitOfWork uow, SubmissionPackage package, string? traceParent, string? traceState, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO submissions (id, process_id, list_id, jurisdiction, fiscal_year, canonical_content, content_hash, total_cost, status,
                                     next_attempt_at, created_at, trace_parent, trace_state)
            VALUES (@SubmissionId, @ProcessId, @ListId, @Jurisdiction, @FiscalYear, @CanonicalContent, @ContentHash, @TotalCost, @status,
                    @now, @now, @traceParent, @traceState)
            """,
            new
            {
                package.SubmissionId, package.Document.ProcessId, package.Document.ListId, package.Document.Jurisdiction, package.Document.FiscalYear,
                package.CanonicalContent, package.ContentHash, package.TotalCost, status = SubmissionStatus.Pending.ToString(), now = uow.Now, traceParent, traceState,
            }, ct));

    /// <summary>One row per finding: a repeated escalation of a finding already kept changes nothing; false then.</summary>
    public static async Task<bool> InsertEscalatedFindingAsync(this UnitOfWork uow, EscalatedFinding e, CancellationToken ct)
    {
        var f = e.Finding;
        return await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO escalated_findings (finding_id, jurisdiction, process_id, fiscal_year, proposal_id, project_title, kind, text, raised_at, answer_due,
                                            answers, escalation_reason, escalated_at, received_at)
            VALUES (@FindingId, @jurisdiction, @ProcessId, @FiscalYear, @ProposalId, @ProjectTitle, @kind, @Text, @raisedAt, @answerDue,
                    @answers::jsonb, @EscalationReason, @escalatedAt, @now)
            ON CONFLICT (finding_id) DO NOTHING
            """,
            new
            {
                f.FindingId, jurisdiction = e.Jurisdiction, f.ProcessId, f.FiscalYear, f.ProposalId, f.ProjectTitle, kind = f.Kind.ToString(), f.Text,
                raisedAt = f.RaisedAt.ToUniversalTime(), answerDue = f.AnswerDue.ToUniversalTime(),
                answers = JsonSerializer.Serialize(f.Answers.Select(a => new AnswerJson(a.Text, a.AnsweredAt.ToUniversalTime())), JsonSerializerOptions.Web),
                f.EscalationReason, escalatedAt = f.EscalatedAt.ToUniversalTime(), now = uow.Now,
            }, ct)) == 1;
    }

    /// <summary>
    /// The jurisdiction's findings no package carried yet, locked until the transaction ends, in id order so two packages
    /// built at once take the locks in one order. The second waits for the first; PostgreSQL then reads the rows again and
    /// leaves out those the first carried.
    /// </summary>
    public static async Task<IReadOnlyList<EscalatedFinding>> LockWaitingFindingsAsync(this UnitOfWork uow, string jurisdiction, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<FindingRow>(uow.Command(
            $"{FindingSelect} WHERE jurisdiction = @jurisdiction AND carried_by IS NULL ORDER BY finding_id FOR UPDATE",
            new { jurisdiction }, ct))).Select(r => r.ToFinding()).ToList();

    /// <summary>Records that the submission carries these findings; a finding some other package carried meanwhile fails the whole package.</summary>
    public static async Task MarkCarriedAsync(this UnitOfWork uow, Guid submissionId, IReadOnlyList<ReportedFinding> findings, CancellationToken ct)
    {
        if (findings.Count == 0)
        {
            return;
        }
        var ids = findings.Select(f => f.FindingId).ToArray();
        var marked = await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE escalated_findings SET carried_by = @submissionId WHERE finding_id = ANY(@ids) AND carried_by IS NULL", new { submissionId, ids }, ct));
        if (marked != ids.Length)
        {
            throw new InvalidOperationException($"Only {marked} of the {ids.Length} findings of submission {submissionId} were still waiting for a package");
        }
    }

    /// <summary>The findings a submission carried, in the order its document states them.</summary>
    public static async Task<IReadOnlyList<EscalatedFinding>> GetCarriedFindingsAsync(this UnitOfWork uow, Guid submissionId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<FindingRow>(uow.Command(
            $"{FindingSelect} WHERE carried_by = @submissionId ORDER BY escalated_at, finding_id", new { submissionId }, ct))).Select(r => r.ToFinding()).ToList();

    /// <summary>A redelivered event finds the stage already recorded and changes nothing.</summary>
    public static Task RecordStageEnteredAsync(this UnitOfWork uow, Guid processId, Stage stage, DateTimeOffset at, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO stage_history (process_id, stage, entered_at) VALUES (@processId, @stage, @at) ON CONFLICT (process_id, stage) DO NOTHING",
            new { processId, stage = stage.ToString(), at }, ct));

    public static async Task<IReadOnlyList<StageReached>> GetStageHistoryAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<(string Stage, DateTime At)>(uow.Command(
            "SELECT stage, entered_at FROM stage_history WHERE process_id = @processId", new { processId }, ct)))
        .Select(r => new StageReached(Enum.Parse<Stage>(r.Stage), new DateTimeOffset(r.At, TimeSpan.Zero)))
        .OrderBy(s => s.Stage).ToList();

    /// <summary>
    /// Claims the next submission due for delivery, skipping those another replica holds. Only processes that
    /// have reached the Submission stage deliver: a formalized list waits for the stage to open.
    /// </summary>
    public static async Task<Submission?> ClaimNextDueAsync(this UnitOfWork uow, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<DueRow>(uow.Command(
            """
            SELECT s.id, s.process_id AS ProcessId, s.jurisdiction, s.canonical_content AS CanonicalContent, s.content_hash AS ContentHash,
                   s.attempts, s.trace_parent AS TraceParent, s.trace_state AS TraceState
            FROM submissions s JOIN process_stages p ON p.process_id = s.process_id
            WHERE s.status = 'Pending' AND s.next_attempt_at <= @now AND p.stage IN ('Submission', 'Oversight')
            ORDER BY s.next_attempt_at LIMIT 1 FOR UPDATE OF s SKIP LOCKED
            """, new { now = uow.Now }, ct));
        return row is null ? null : Submission.Restore(row.Id, row.ProcessId, row.Jurisdiction, row.CanonicalContent, row.ContentHash,
            row.Attempts, row.TraceParent, row.TraceState);
    }

    /// <summary>A package the intake answered keeps the signature and key it was sent with; a retried one is signed again next time.</summary>
    public static Task UpdateDeliveryAsync(this UnitOfWork uow, Submission s, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE submissions SET status = @status, intake_receipt = @IntakeReceipt, attempts = @Attempts, last_error = @LastError,
                   next_attempt_at = COALESCE(@NextAttemptAt, next_attempt_at),
                   signature = CASE WHEN @status = 'Pending' THEN signature ELSE @Signature END,
                   public_key = CASE WHEN @status = 'Pending' THEN public_key ELSE @PublicKey END,
                   key_id = CASE WHEN @status = 'Pending' THEN key_id ELSE @KeyId END,
                   delivered_at = CASE WHEN @status = 'Delivered' THEN @now ELSE delivered_at END
            WHERE id = @Id
            """, new { s.Id, status = s.Status.ToString(), s.IntakeReceipt, s.Attempts, s.LastError, s.NextAttemptAt, s.Signature, s.PublicKey, s.KeyId, now = uow.Now }, ct));

    /// <summary>A refused package back to Pending, due now; false when it was not Rejected (already sent again, or never refused).</summary>
    public static async Task<bool> ReturnToPendingAsync(this UnitOfWork uow, Guid submissionId, CancellationToken ct) =>
        await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE submissions SET status = 'Pending', next_attempt_at = @now WHERE id = @submissionId AND status = 'Rejected'",
            new { submissionId, now = uow.Now }, ct)) == 1;

    public static async Task<SubmissionView> GetByProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<ViewRow>(uow.Command(
            $"{ViewSelect} WHERE s.process_id = @processId", new { processId }, ct)) ?? throw new NotFoundException("Submission of process", processId);
        return row.ToView();
    }

    /// <summary>Submissions oldest first, read row by row so a long list never sits in memory; null jurisdiction: every one.</summary>
    public static async IAsyncEnumerable<SubmissionView> ListSubmissionsAsync(this UnitOfWork uow, string? jurisdiction, int? fiscalYear, SubmissionStatus? status,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var rows = uow.Connection.QueryUnbufferedAsync<ViewRow>(
            $"""
            {ViewSelect}
            WHERE (@jurisdiction::text IS NULL OR s.jurisdiction = @jurisdiction)
              AND (@fiscalYear::int IS NULL OR s.fiscal_year = @fiscalYear)
              AND (@status::text IS NULL OR s.status = @status)
            ORDER BY s.created_at, s.id
            """, new { jurisdiction, fiscalYear, status = status?.ToString() }, uow.Transaction);
        await foreach (var row in rows.WithCancellation(ct))
        {
            yield return row.ToView();
        }
    }

    public static async IAsyncEnumerable<DecisionView> ListDecisionsAsync(this UnitOfWork uow, Guid processId, [EnumeratorCancellation] CancellationToken ct)
    {
        var rows = uow.Connection.QueryUnbufferedAsync<DecisionRow>(
            """
            SELECT decision_id AS DecisionId, sequence, process_id AS ProcessId, proposal_id AS ProposalId, decision, approved_amount AS ApprovedAmount, reason,
                   decided_at AS DecidedAt
            FROM decisions WHERE process_id = @processId ORDER BY sequence
            """, new { processId }, uow.Transaction);
        await foreach (var r in rows.WithCancellation(ct))
        {
            yield return new DecisionView(r.DecisionId, r.Sequence, r.ProcessId, r.ProposalId, r.Decision, r.ApprovedAmount, r.Reason,
                new DateTimeOffset(r.DecidedAt, TimeSpan.Zero));
        }
    }

    /// <summary>
    /// Held on a connection of its own for a whole pull, so two replicas never stream at once while each decision still
    /// commits in its own transaction; false when another replica holds it. Released with the session at the latest.
    /// </summary>
    public static async Task<bool> TryLockDecisionStreamAsync(this NpgsqlConnection connection, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@key)", new { key = DecisionStreamLock }, cancellationToken: ct));

    public static Task UnlockDecisionStreamAsync(this NpgsqlConnection connection) =>
        connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = DecisionStreamLock });

    public static Task<long> GetDecisionCursorAsync(this UnitOfWork uow, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<long>(uow.Command("SELECT after_sequence FROM decision_cursor WHERE id = 1 FOR UPDATE", ct: ct));

    public static Task AdvanceDecisionCursorAsync(this UnitOfWork uow, long sequence, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE decision_cursor SET after_sequence = GREATEST(after_sequence, @sequence), updated_at = @now WHERE id = 1",
            new { sequence, now = uow.Now }, ct));

    public static async Task<DecidedSubmission?> FindDecidedSubmissionAsync(this UnitOfWork uow, Guid submissionId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<(Guid Id, Guid ProcessId, string Jurisdiction, string CanonicalContent)?>(uow.Command(
            "SELECT id, process_id, jurisdiction, canonical_content FROM submissions WHERE id = @submissionId AND status = 'Delivered'", new { submissionId }, ct));
        return row is { } r
            ? new DecidedSubmission(r.Id, r.ProcessId, r.Jurisdiction, SubmissionPackage.ProjectsOf(r.CanonicalContent).Select(p => p.ProposalId).ToHashSet())
            : null;
    }

    /// <summary>Records a decision once: false when the intake's decision id was recorded before.</summary>
    public static async Task<bool> InsertDecisionAsync(this UnitOfWork uow, MinistryDecision d, CancellationToken ct) =>
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO decisions (decision_id, sequence, submission_id, process_id, proposal_id, decision, approved_amount, reason, decided_at, received_at)
            VALUES (@DecisionId, @Sequence, @SubmissionId, @ProcessId, @ProposalId, @Decision, @ApprovedAmount, @Reason, @DecidedAt, @now)
            ON CONFLICT (decision_id) DO NOTHING
            """, new { d.DecisionId, d.Sequence, d.SubmissionId, d.ProcessId, d.ProposalId, d.Decision, d.ApprovedAmount, d.Reason, d.DecidedAt, now = uow.Now }, ct)) == 1;

    private const string FindingSelect = """
        SELECT finding_id AS FindingId, jurisdiction, process_id AS ProcessId, fiscal_year AS FiscalYear, proposal_id AS ProposalId, project_title AS ProjectTitle,
               kind, text, raised_at AS RaisedAt, answer_due AS AnswerDue, answers::text AS Answers, escalation_reason AS EscalationReason,
               escalated_at AS EscalatedAt, carried_by AS CarriedBy
        FROM escalated_findings
        """;

    private sealed record AnswerJson(string Text, DateTimeOffset AnsweredAt);

    private sealed record FindingRow(Guid FindingId, string Jurisdiction, Guid ProcessId, int FiscalYear, Guid? ProposalId, string? ProjectTitle, string Kind,
        string Text, DateTime RaisedAt, DateTime AnswerDue, string Answers, string EscalationReason, DateTime EscalatedAt, Guid? CarriedBy)
    {
        public EscalatedFinding ToFinding() => new(Jurisdiction, new ReportedFinding(FindingId, ProcessId, FiscalYear, ProposalId, ProjectTitle,
            Enum.Parse<FindingKind>(Kind), Text, Utc(RaisedAt), Utc(AnswerDue),
            JsonSerializer.Deserialize<List<AnswerJson>>(Answers, JsonSerializerOptions.Web)!.Select(a => new FindingAnswer(a.Text, a.AnsweredAt.ToUniversalTime())).ToList(),
            EscalationReason, Utc(EscalatedAt)), CarriedBy);

        private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);
    }

    // Any constant: the lock lives in this service's own database.
    private const long DecisionStreamLock = 0x5042_4d49_4e44_4543;

    // Each project's latest decision (the Ministry may revise one), as JSON beside the submission's row.
    private const string ViewSelect = """
        SELECT s.id, s.process_id AS ProcessId, s.jurisdiction, s.fiscal_year AS FiscalYear, s.status, s.content_hash AS ContentHash,
               s.intake_receipt AS IntakeReceipt, s.total_cost AS TotalCost, s.attempts, s.last_error AS LastError, s.delivered_at AS DeliveredAt,
               s.key_id AS KeyId, s.canonical_content AS CanonicalContent,
               (SELECT coalesce(jsonb_agg(jsonb_build_object('proposalId', d.proposal_id, 'decision', d.decision, 'approvedAmount', d.approved_amount,
                                                            'reason', d.reason, 'decidedAt', d.decided_at)), '[]'::jsonb)
                FROM (SELECT DISTINCT ON (proposal_id) * FROM decisions WHERE submission_id = s.id ORDER BY proposal_id, sequence DESC) d)::text AS Decisions
        FROM submissions s
        """;

    private sealed record DueRow(Guid Id, Guid ProcessId, string Jurisdiction, string CanonicalContent, string ContentHash, int Attempts, string? TraceParent, string? TraceState);

    private sealed record DecisionJson(Guid ProposalId, string Decision, decimal ApprovedAmount, string Reason, DateTimeOffset DecidedAt);

    private sealed record DecisionRow(Guid DecisionId, long Sequence, Guid ProcessId, Guid ProposalId, string Decision, decimal ApprovedAmount, string Reason, DateTime DecidedAt);

    private sealed record ViewRow(Guid Id, Guid ProcessId, string Jurisdiction, int FiscalYear, string Status, string ContentHash, string? IntakeReceipt, decimal TotalCost,
        int Attempts, string? LastError, DateTime? DeliveredAt, string? KeyId, string CanonicalContent, string Decisions)
    {
        public SubmissionView ToView()
        {
            var status = Enum.Parse<SubmissionStatus>(Status);
            var decisions = JsonSerializer.Deserialize<List<DecisionJson>>(Decisions, JsonSerializerOptions.Web)!.ToDictionary(d => d.ProposalId);
            var projects = SubmissionPackage.ProjectsOf(CanonicalContent).OrderBy(p => p.Rank).Select(p => new SubmittedProjectView(p.ProposalId, p.Title, p.Cost, p.Score, p.Rank,
                decisions.TryGetValue(p.ProposalId, out var d) ? new ProjectDecisionView(d.Decision, d.ApprovedAmount, d.Reason, d.DecidedAt.ToUniversalTime()) : null)).ToList();
            return new SubmissionView(Id, ProcessId, Jurisdiction, FiscalYear, status, ContentHash, IntakeReceipt, TotalCost, Attempts, LastError,
                DeliveredAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null, status == SubmissionStatus.Rejected ? LastError : null, KeyId, projects,
                SubmissionPackage.ReportedFindingsOf(CanonicalContent));
        }
    }
}
