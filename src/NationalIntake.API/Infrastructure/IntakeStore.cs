using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.NationalIntake.Domain;

namespace PBServices.NationalIntake.Infrastructure;

public sealed record IntakeClient(string ClientId, string SecretSha256, string Role, string Jurisdiction, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record KeyView(string KeyId, string Jurisdiction, string PublicKey, DateTimeOffset EnrolledAt, DateTimeOffset? RetiredAt, DateTimeOffset? RevokedAt,
    string? RevokeReason, string Status);

public sealed record StoredKey(string KeyId, string Jurisdiction, byte[] PublicKey, DateTimeOffset EnrolledAt, DateTimeOffset? RetiredAt, DateTimeOffset? RevokedAt);

public sealed record Refusal(long Id, DateTimeOffset RefusedAt, string ClientId, string SubmissionId, string Jurisdiction, string Status, string Reasons);

public sealed record StoredReceipt(string Receipt, string ContentHash, DateTimeOffset ReceivedAt);

public sealed record SubmissionSummary(Guid SubmissionId, Guid ProcessId, string Jurisdiction, string Level, int FiscalYear, string ContentHash, string Receipt,
    DateTimeOffset ReceivedAt, decimal TotalCost, int Projects, int Decided,
    /// <summary>How many escalated findings its oversight report states.</summary>
    int ReportedFindings);

public sealed record ProjectWithDecision(Guid ProposalId, int Rank, string Title, decimal Cost, decimal OwnShare, string PlanObjective, string? Decision,
    decimal? ApprovedAmount, string? Reason);

/// <param name="OversightReport">The oversight committee's escalated findings of earlier fiscal years, as the package states them; empty when it has none.</param>
public sealed record SubmissionDetail(SubmissionSummary Submission, string ActaReference, IReadOnlyList<ProjectWithDecision> Projects,
    IReadOnlyList<ReportedFinding> OversightReport);

/// <summary>A finding the package reports that another submission reported before.</summary>
public sealed record ReportedElsewhere(Guid FindingId, Guid SubmissionId, string Receipt);

public sealed record DecisionView(long Sequence, Guid DecisionId, Guid SubmissionId, Guid ProcessId, string Jurisdiction, Guid ProposalId, string Decision,
    decimal ApprovedAmount, string? Reason, DateTimeOffset DecidedAt);

public sealed record AggregateRow(string Region, string Level, string PlanObjective, int FiscalYear, int Projects, decimal ApprovedAmount);

/// <summary>Every SQL statement of the intake lives here.</summary>
internal static class IntakeStore
{
    /// <summary>The ubigeo prefix of what a jurisdiction covers, for LIKE: "" nationally, two digits for a region, four for a province.</summary>
    public static string ScopePrefix(string jurisdiction) => jurisdiction == PbClaims.NationalJurisdiction ? "" : Jurisdictions.LevelOf(jurisdiction) switch
    {
        GovernmentLevel.Region => jurisdiction[..2],
        GovernmentLevel.Province => jurisdiction[..4],
        _ => jurisdiction,
    };

    // Clients.

    /// <summary>Configuration states what a bootstrapped client is; starting again restores it.</summary>
    public static Task UpsertClientAsync(this UnitOfWork uow, string clientId, string secretSha256, string role, string jurisdiction, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO clients (client_id, secret_sha256, role, jurisdiction, created_at) VALUES (@clientId, @secretSha256, @role, @jurisdiction, @now)
            ON CONFLICT (client_id) DO UPDATE SET secret_sha256 = EXCLUDED.secret_sha256, role = EXCLUDED.role, jurisdiction = EXCLUDED.jurisdiction, revoked_at = NULL
            """, new { clientId, secretSha256, role, jurisdiction, now = uow.Now }, ct));

    public static async Task InsertClientAsync(this UnitOfWork uow, string clientId, string secretSha256, string role, string jurisdiction, CancellationToken ct)
    {
        var inserted = await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO clients (client_id, secret_sha256, role, jurisdiction, created_at) VALUES (@clientId, @secretSha256, @role, @jurisdiction, @now)
            ON CONFLICT (client_id) DO NOTHING
            """, new { clientId, secretSha256, role, jurisdiction, now = uow.Now }, ct));
        if (inserted == 0)
        {
            throw new ConflictException("clientId", $"A client '{clientId}' already exists");
        }
    }

    public static async Task<IntakeClient?> FindClientAsync(this UnitOfWork uow, string clientId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<ClientRow>(uow.Command(
            """
            SELECT client_id AS ClientId, secret_sha256 AS SecretSha256, role, jurisdiction, created_at AS CreatedAt, revoked_at AS RevokedAt
            FROM clients WHERE client_id = @clientId
            """, new { clientId }, ct));
        return row is null ? null : new IntakeClient(row.ClientId, row.SecretSha256, row.Role, row.Jurisdiction, Utc(row.CreatedAt), Utc(row.RevokedAt));
    }

    // Keys.

    public static async Task<StoredKey?> FindKeyAsync(this UnitOfWork uow, string keyId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<KeyRow>(uow.Command(
            $"SELECT {KeyColumns} FROM enrolled_keys WHERE key_id = @keyId", new { keyId }, ct));
        return row is null ? null : new StoredKey(row.KeyId, row.Jurisdiction, row.PublicKey, Utc(row.EnrolledAt), Utc(row.RetiredAt), Utc(row.RevokedAt));
    }

    /// <summary>The jurisdiction's good key, locked: an enrolment retires it in the same transaction.</summary>
    public static Task<string?> LockActiveKeyAsync(this UnitOfWork uow, string jurisdiction, CancellationToken ct) =>
        uow.Connection.QuerySingleOrDefaultAsync<string?>(uow.Command(
            "SELECT key_id FROM enrolled_keys WHERE jurisdiction = @jurisdiction AND retired_at IS NULL AND revoked_at IS NULL FOR UPDATE",
            new { jurisdiction }, ct));

    public static Task RetireKeyAsync(this UnitOfWork uow, string keyId, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("UPDATE enrolled_keys SET retired_at = @now WHERE key_id = @keyId", new { keyId, now = uow.Now }, ct));

    public static Task InsertKeyAsync(this UnitOfWork uow, string keyId, string jurisdiction, byte[] publicKey, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO enrolled_keys (key_id, jurisdiction, public_key, enrolled_at) VALUES (@keyId, @jurisdiction, @publicKey, @now)",
            new { keyId, jurisdiction, publicKey, now = uow.Now }, ct));

    public static Task<int> RevokeKeyAsync(this UnitOfWork uow, string keyId, string reason, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE enrolled_keys SET revoked_at = @now, revoke_reason = @reason WHERE key_id = @keyId AND revoked_at IS NULL",
            new { keyId, reason, now = uow.Now }, ct));

    public static async Task<IReadOnlyList<KeyView>> ListKeysAsync(this UnitOfWork uow, string? jurisdiction, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<KeyRow>(uow.Command(
            $"SELECT {KeyColumns} FROM enrolled_keys WHERE @jurisdiction::text IS NULL OR jurisdiction = @jurisdiction ORDER BY jurisdiction, enrolled_at DESC",
            new { jurisdiction }, ct));
        return rows.Select(r => new KeyView(r.KeyId, r.Jurisdiction, Convert.ToBase64String(r.PublicKey), Utc(r.EnrolledAt), Utc(r.RetiredAt), Utc(r.RevokedAt),
            r.RevokeReason, r.RevokedAt is not null ? "Revoked" : r.RetiredAt is not null ? "Retired" : "Active")).ToList();
    }

    // Submissions.

    /// <summary>
    /// Records an accepted package and its projects, unless the submission id is already recorded: a resend, or
    /// a concurrent delivery of the same package, waits for the first and finds its row. Returns the time as stored when this call
    /// recorded it, null when it was recorded before.
    /// </summary>
    public static async Task<DateTimeOffset?> TryInsertSubmissionAsync(this UnitOfWork uow, SubmissionDocument d, SubmissionEnvelope envelope, string contentHash,
        string clientId, string receipt, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var inserted = await uow.Connection.QuerySingleOrDefaultAsync<DateTime?>(uow.Command(
            """
            INSERT INTO submissions (submission_id, jurisdiction, process_id, level, fiscal_year, canonical_content, content_hash, signature, key_id,
                                     client_id, receipt, total_cost, acta_reference, received_at)
            VALUES (@SubmissionId, @Jurisdiction, @ProcessId, @level, @FiscalYear, @content, @contentHash, @signature, @keyId,
                    @clientId, @receipt, @TotalCost, @actaReference, @now)
            ON CONFLICT (submission_id) DO NOTHING
            RETURNING received_at
            """,
            new
            {
                d.SubmissionId, d.Jurisdiction, d.ProcessId, level = d.Level.ToString(), d.FiscalYear, content = envelope.CanonicalContent, contentHash,
                signature = envelope.Signature, keyId = envelope.KeyId, clientId, receipt, d.TotalCost, actaReference = d.Acta.Reference, now = receivedAt,
            }, ct));
        if (inserted is not { } receivedAtStored)
        {
            return null;
        }
        // One statement for all the projects: the benchmark's 30 per package would be 30 round trips otherwise.
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO submission_projects (submission_id, proposal_id, rank, title, cost, own_share, plan_objective)
            SELECT @SubmissionId, p.proposal_id, p.rank, p.title, p.cost, p.own_share, p.plan_objective
            FROM unnest(@proposalIds, @ranks, @titles, @costs, @ownShares, @objectives) AS p (proposal_id, rank, title, cost, own_share, plan_objective)
            """,
            new
            {
                d.SubmissionId,
                proposalIds = d.Projects.Select(p => p.ProposalId).ToArray(),
                ranks = d.Projects.Select(p => p.Rank).ToArray(),
                titles = d.Projects.Select(p => p.Title).ToArray(),
                costs = d.Projects.Select(p => p.Cost).ToArray(),
                ownShares = d.Projects.Select(p => p.OwnShare).ToArray(),
                objectives = d.Projects.Select(p => p.PlanObjective).ToArray(),
            }, ct));
        var findings = d.Findings;
        if (findings.Count > 0)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO submission_findings (submission_id, position, finding_id, process_id, fiscal_year, proposal_id, project_title, kind, text, raised_at,
                                                 answer_due, answers, escalation_reason, escalated_at)
                SELECT @SubmissionId, f.position, f.finding_id, f.process_id, f.fiscal_year, f.proposal_id, f.project_title, f.kind, f.text, f.raised_at,
                       f.answer_due, f.answers::jsonb, f.escalation_reason, f.escalated_at
                FROM unnest(@positions, @findingIds, @processIds, @fiscalYears, @proposalIds, @projectTitles, @kinds, @texts, @raisedAt, @answerDue, @answers,
                            @reasons, @escalatedAt)
                     AS f (position, finding_id, process_id, fiscal_year, proposal_id, project_title, kind, text, raised_at, answer_due, answers,
                           escalation_reason, escalated_at)
                """,
                new
                {
                    d.SubmissionId,
                    positions = Enumerable.Range(1, findings.Count).ToArray(),
                    findingIds = findings.Select(f => f.FindingId).ToArray(),
                    processIds = findings.Select(f => f.ProcessId).ToArray(),
                    fiscalYears = findings.Select(f => f.FiscalYear).ToArray(),
                    proposalIds = findings.Select(f => f.ProposalId).ToArray(),
                    projectTitles = findings.Select(f => f.ProjectTitle).ToArray(),
                    kinds = findings.Select(f => f.Kind.ToString()).ToArray(),
                    texts = findings.Select(f => f.Text).ToArray(),
                    raisedAt = findings.Select(f => f.RaisedAt.UtcDateTime).ToArray(),
                    answerDue = findings.Select(f => f.AnswerDue.UtcDateTime).ToArray(),
                    answers = findings.Select(f => JsonSerializer.Serialize(f.Answers, JsonSerializerOptions.Web)).ToArray(),
                    reasons = findings.Select(f => f.EscalationReason).ToArray(),
                    escalatedAt = findings.Select(f => f.EscalatedAt.UtcDateTime).ToArray(),
                }, ct));
        }
        return Utc(receivedAtStored);
    }

    /// <summary>Those of <paramref name="findingIds"/> that a submission other than <paramref name="submissionId"/> reported.</summary>
    public static async Task<IReadOnlyList<ReportedElsewhere>> FindReportedElsewhereAsync(this UnitOfWork uow, Guid submissionId, IReadOnlyList<Guid> findingIds,
        CancellationToken ct) =>
        findingIds.Count == 0 ? [] : (await uow.Connection.QueryAsync<ReportedElsewhere>(uow.Command(
            """
            SELECT f.finding_id AS FindingId, f.submission_id AS SubmissionId, s.receipt
            FROM submission_findings f JOIN submissions s ON s.submission_id = f.submission_id
            WHERE f.finding_id = ANY(@ids) AND f.submission_id <> @submissionId ORDER BY f.finding_id
            """, new { submissionId, ids = findingIds.ToArray() }, ct))).ToList();

    public static async Task<StoredReceipt> ReadReceiptAsync(this UnitOfWork uow, Guid submissionId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleAsync<(string Receipt, string ContentHash, DateTime ReceivedAt)>(uow.Command(
            "SELECT receipt, content_hash, received_at FROM submissions WHERE submission_id = @submissionId", new { submissionId }, ct));
        return new StoredReceipt(row.Receipt, row.ContentHash, Utc(row.ReceivedAt));
    }

    public static Task InsertRefusalAsync(this UnitOfWork uow, string clientId, string submissionId, string jurisdiction, string status, string reasons,
        CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO refusals (refused_at, client_id, submission_id, jurisdiction, status, reasons)
            VALUES (@now, @clientId, @submissionId, @jurisdiction, @status, @reasons)
            """, new { now = uow.Now, clientId, submissionId = Printable(submissionId, 100), jurisdiction = Printable(jurisdiction, 100), status, reasons = Printable(reasons, 20_000) }, ct));

    /// <summary>A refusal echoes what the sender wrote; PostgreSQL refuses NUL in text, and nobody reads control characters.</summary>
    private static string Printable(string value, int max)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).ToArray());
        return clean.Length <= max ? clean : clean[..max];
    }

    public static async Task<IReadOnlyList<Refusal>> ListRefusalsAsync(this UnitOfWork uow, string? jurisdiction, int limit, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<RefusalRow>(uow.Command(
            """
            SELECT id, refused_at AS RefusedAt, client_id AS ClientId, submission_id AS SubmissionId, jurisdiction, status, reasons FROM refusals
            WHERE @jurisdiction::text IS NULL OR jurisdiction = @jurisdiction ORDER BY id DESC LIMIT @limit
            """, new { jurisdiction, limit }, ct));
        return rows.Select(r => new Refusal(r.Id, Utc(r.RefusedAt), r.ClientId, r.SubmissionId, r.Jurisdiction, r.Status, r.Reasons)).ToList();
    }

    private const string SummarySelect = """
        SELECT s.submission_id AS SubmissionId, s.process_id AS ProcessId, s.jurisdiction, s.level, s.fiscal_year AS FiscalYear,
               s.content_hash AS ContentHash, s.receipt, s.received_at AS ReceivedAt, s.total_cost AS TotalCost,
               (SELECT count(*)::int FROM submission_projects p WHERE p.submission_id = s.submission_id) AS Projects,
               (SELECT count(*)::int FROM decisions d WHERE d.submission_id = s.submission_id) AS Decided,
               (SELECT count(*)::int FROM submission_findings f WHERE f.submission_id = s.submission_id) AS ReportedFindings
        FROM submissions s
        """;

    /// <summary>Rows as the database yields them: a national list is never held in memory whole.</summary>
    public static async IAsyncEnumerable<SubmissionSummary> StreamSubmissionsAsync(this UnitOfWork uow, string scope, int fiscalYear,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var rows = uow.Connection.QueryUnbufferedAsync<SummaryRow>(
            $"{SummarySelect} WHERE s.jurisdiction LIKE @prefix || '%' AND (@fiscalYear = 0 OR s.fiscal_year = @fiscalYear) ORDER BY s.received_at, s.submission_id",
            new { prefix = ScopePrefix(scope), fiscalYear }, uow.Transaction);
        await foreach (var r in rows.WithCancellation(ct))
        {
            yield return ToSummary(r);
        }
    }

    public static async Task<SubmissionDetail> GetSubmissionAsync(this UnitOfWork uow, Guid submissionId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<SummaryRow>(uow.Command($"{SummarySelect} WHERE s.submission_id = @submissionId",
            new { submissionId }, ct)) ?? throw new NotFoundException("Submission", submissionId);
        var acta = await uow.Connection.QuerySingleAsync<string>(uow.Command(
            "SELECT acta_reference FROM submissions WHERE submission_id = @submissionId", new { submissionId }, ct));
        var projects = await uow.Connection.QueryAsync<ProjectWithDecision>(uow.Command(
            """
            SELECT p.proposal_id AS ProposalId, p.rank, p.title, p.cost, p.own_share AS OwnShare, p.plan_objective AS PlanObjective,
                   d.decision, d.approved_amount AS ApprovedAmount, d.reason
            FROM submission_projects p LEFT JOIN decisions d ON d.submission_id = p.submission_id AND d.proposal_id = p.proposal_id
            WHERE p.submission_id = @submissionId ORDER BY p.rank
            """, new { submissionId }, ct));
        var findings = await uow.Connection.QueryAsync<FindingRow>(uow.Command(
            """
            SELECT finding_id AS FindingId, process_id AS ProcessId, fiscal_year AS FiscalYear, proposal_id AS ProposalId, project_title AS ProjectTitle, kind, text,
                   raised_at AS RaisedAt, answer_due AS AnswerDue, answers::text AS Answers, escalation_reason AS EscalationReason, escalated_at AS EscalatedAt
            FROM submission_findings WHERE submission_id = @submissionId ORDER BY position
            """, new { submissionId }, ct));
        return new SubmissionDetail(ToSummary(row), acta, projects.ToList(), findings.Select(f => f.ToFinding()).ToList());
    }

    // Decisions.

    public static async Task<(Guid ProcessId, string Jurisdiction, decimal Cost)?> FindProjectAsync(this UnitOfWork uow, Guid submissionId, Guid proposalId,
        CancellationToken ct) =>
        await uow.Connection.QuerySingleOrDefaultAsync<(Guid, string, decimal)?>(uow.Command(
            """
            SELECT s.process_id, s.jurisdiction, p.cost FROM submission_projects p JOIN submissions s ON s.submission_id = p.submission_id
            WHERE p.submission_id = @submissionId AND p.proposal_id = @proposalId
            """, new { submissionId, proposalId }, ct));

    /// <summary>Records the decision unless the project has one; returns its sequence and time, or null when it was already decided.</summary>
    public static Task<(long Sequence, DateTime DecidedAt)?> InsertDecisionAsync(this UnitOfWork uow, Guid decisionId, Guid submissionId, Guid proposalId, string decision, decimal approvedAmount,
        string? reason, string decidedBy, CancellationToken ct) =>
        uow.Connection.QuerySingleOrDefaultAsync<(long, DateTime)?>(uow.Command(
            """
            INSERT INTO decisions (decision_id, submission_id, proposal_id, decision, approved_amount, reason, decided_by, decided_at)
            VALUES (@decisionId, @submissionId, @proposalId, @decision, @approvedAmount, @reason, @decidedBy, @now)
            ON CONFLICT (submission_id, proposal_id) DO NOTHING
            RETURNING sequence, decided_at
            """, new { decisionId, submissionId, proposalId, decision, approvedAmount, reason, decidedBy, now = uow.Now }, ct));

    public static async IAsyncEnumerable<DecisionView> StreamDecisionsAsync(this UnitOfWork uow, string scope, long afterSequence,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (afterSequence < 0)
        {
            throw new DomainException("after_sequence", "A decision's sequence number (0 or more), or 0 for all");
        }
        var rows = uow.Connection.QueryUnbufferedAsync<DecisionRow>(
            """
            SELECT d.sequence, d.decision_id AS DecisionId, d.submission_id AS SubmissionId, s.process_id AS ProcessId, s.jurisdiction,
                   d.proposal_id AS ProposalId, d.decision, d.approved_amount AS ApprovedAmount, d.reason, d.decided_at AS DecidedAt
            FROM decisions d JOIN submissions s ON s.submission_id = d.submission_id
            WHERE d.sequence > @afterSequence AND s.jurisdiction LIKE @prefix || '%'
            ORDER BY d.sequence
            """, new { afterSequence, prefix = ScopePrefix(scope) }, uow.Transaction);
        await foreach (var r in rows.WithCancellation(ct))
        {
            yield return new DecisionView(r.Sequence, r.DecisionId, r.SubmissionId, r.ProcessId, r.Jurisdiction, r.ProposalId, r.Decision, r.ApprovedAmount,
                r.Reason, Utc(r.DecidedAt));
        }
    }

    // The national aggregate.

    public static async Task<IReadOnlyList<AggregateRow>> AggregateAsync(this UnitOfWork uow, int fiscalYear, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<AggregateRow>(uow.Command(
            """
            SELECT left(s.jurisdiction, 2) || '0000' AS Region, s.level, p.plan_objective AS PlanObjective, s.fiscal_year AS FiscalYear,
                   count(*)::int AS Projects, sum(d.approved_amount) AS ApprovedAmount
            FROM decisions d
            JOIN submission_projects p ON p.submission_id = d.submission_id AND p.proposal_id = d.proposal_id
            JOIN submissions s ON s.submission_id = d.submission_id
            WHERE d.decision = 'Approved' AND s.fiscal_year = @fiscalYear
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3
            """, new { fiscalYear }, ct));
        return rows.ToList();
    }

    private const string KeyColumns =
        "key_id AS KeyId, jurisdiction, public_key AS PublicKey, enrolled_at AS EnrolledAt, retired_at AS RetiredAt, revoked_at AS RevokedAt, revoke_reason AS RevokeReason";

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);

    private static DateTimeOffset? Utc(DateTime? t) => t is { } v ? Utc(v) : null;

    private static SubmissionSummary ToSummary(SummaryRow r) => new(r.SubmissionId, r.ProcessId, r.Jurisdiction, r.Level, r.FiscalYear, r.ContentHash, r.Receipt,
        Utc(r.ReceivedAt), r.TotalCost, r.Projects, r.Decided, r.ReportedFindings);

    private sealed record FindingRow(Guid FindingId, Guid ProcessId, int FiscalYear, Guid? ProposalId, string? ProjectTitle, string Kind, string Text,
        DateTime RaisedAt, DateTime AnswerDue, string Answers, string EscalationReason, DateTime EscalatedAt)
    {
        public ReportedFinding ToFinding() => new(FindingId, ProcessId, FiscalYear, ProposalId, ProjectTitle, Enum.Parse<FindingKind>(Kind), Text, Utc(RaisedAt),
            Utc(AnswerDue), JsonSerializer.Deserialize<List<FindingAnswer>>(Answers, JsonSerializerOptions.Web)!.Select(a => a with { AnsweredAt = a.AnsweredAt.ToUniversalTime() }).ToList(),
            EscalationReason, Utc(EscalatedAt));
    }

    private sealed record ClientRow(string ClientId, string SecretSha256, string Role, string Jurisdiction, DateTime CreatedAt, DateTime? RevokedAt);

    private sealed record KeyRow(string KeyId, string Jurisdiction, byte[] PublicKey, DateTime EnrolledAt, DateTime? RetiredAt, DateTime? RevokedAt, string? RevokeReason);

    private sealed record RefusalRow(long Id, DateTime RefusedAt, string ClientId, string SubmissionId, string Jurisdiction, string Status, string Reasons);

    private sealed record SummaryRow(Guid SubmissionId, Guid ProcessId, string Jurisdiction, string Level, int FiscalYear, string ContentHash, string Receipt,
        DateTime ReceivedAt, decimal TotalCost, int Projects, int Decided, int ReportedFindings);

    private sealed record DecisionRow(long Sequence, Guid DecisionId, Guid SubmissionId, Guid ProcessId, string Jurisdiction, Guid ProposalId, string Decision,
        decimal ApprovedAmount, string? Reason, DateTime DecidedAt);
}
