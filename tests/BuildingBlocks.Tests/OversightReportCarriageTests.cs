using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Tests.Infrastructure;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.MinistrySubmission.Domain;
using PBServices.MinistrySubmission.Infrastructure;
using PBServices.MinistrySubmission.IntegrationEvents;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>
/// ministry-submission's oversight report on its real schema: each escalated finding travels once, with the first package of
/// its jurisdiction for a later fiscal year, even when two lists are formalized at the same moment.
/// </summary>
public sealed class OversightReportCarriageTests(LocalBrokerAndDatabase servers) : IAsyncLifetime
{
    private const string Callao = "070101";
    private static readonly DateTimeOffset Raised = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);
    private MigratedDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await MigratedDatabase.CreateAsync(servers, SubmissionSchema.Migrations);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static FindingEscalated Escalation(int fiscalYear, string jurisdiction = Callao, Guid? findingId = null) => new()
    {
        Jurisdiction = jurisdiction,
        ProcessId = Guid.CreateVersion7(),
        FindingId = findingId ?? Guid.CreateVersion7(),
        FiscalYear = fiscalYear,
        ProposalId = Guid.CreateVersion7(),
        ProjectTitle = "Mejoramiento del canal de riego",
        Kind = FindingKind.Finding,
        Text = $"La obra acordada para {fiscalYear} no figura en el PIA",
        RaisedAt = Raised,
        AnswerDue = Raised.AddDays(15),
        Answers = [new FindingAnswer("Se incluirá en la primera modificación", Raised.AddDays(4).AddTicks(1234))],
        EscalationReason = "La respuesta no indica fecha",
        EscalatedAt = Raised.AddDays(20),
    };

    private async Task<ListFormalized> FormalizedAsync(int fiscalYear, string jurisdiction = Callao)
    {
        var list = new ListFormalized
        {
            Jurisdiction = jurisdiction,
            ProcessId = Guid.CreateVersion7(),
            ListId = Guid.CreateVersion7(),
            Level = GovernmentLevel.District,
            FiscalYear = fiscalYear,
            BudgetCeiling = 1_000_000m,
            ActaReference = $"Acta N° 004-{fiscalYear - 1}-MPC",
            ActaContentHash = new string('d', 64),
            ApprovedAt = new DateTimeOffset(fiscalYear - 1, 7, 15, 18, 0, 0, TimeSpan.Zero),
            Projects = [new ListedProject(Guid.Parse("0197a1b2-0000-7000-8000-000000000101"), "Pistas y veredas", 400_000m, 80m, 1)],
            Dossier = [new(Guid.Parse("0197a1b2-0000-7000-8000-000000000101"), "OE4 Vías", 400_000m, new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), [])],
            Signatures = new ActaSignatures(2, 5, ["CoordinationCouncil", "Council"]),
        };
        await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
        await uow.RecordStageEnteredAsync(list.ProcessId, Stage.Formalization, list.ApprovedAt.AddDays(-3), Ct);
        await uow.CommitAsync(Ct);
        return list;
    }

    private async Task EscalateAsync(params FindingEscalated[] escalations)
    {
        await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
        foreach (var e in escalations)
        {
            await uow.InsertEscalatedFindingAsync(OversightReport.Received(e), Ct);
        }
        await uow.CommitAsync(Ct);
    }

    private async Task<SubmissionPackage> PrepareAsync(ListFormalized list)
    {
        await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
        var package = await ListFormalizedHandler.PrepareAsync(uow, list, Ct);
        await uow.CommitAsync(Ct);
        return package;
    }

    private async Task<IReadOnlyList<Guid>> CarriedByAsync(Guid submissionId)
    {
        await using var uow = await _database.UnitOfWork.BeginAsync(Ct);
        return (await uow.GetCarriedFindingsAsync(submissionId, Ct)).Select(f => f.Finding.FindingId).Order().ToList();
    }

    private static IReadOnlyList<Guid> Ids(params FindingEscalated[] escalations) => escalations.Select(e => e.FindingId).Order().ToList();

    private static IReadOnlyList<Guid> Reported(SubmissionPackage package) =>
        SubmissionDocument.Parse(package.CanonicalContent).Findings.Select(f => f.FindingId).Order().ToList();

    [Fact]
    public async Task Two_lists_formalized_at_once_for_one_jurisdiction_never_carry_the_same_finding()
    {
        var of2025 = Escalation(2025);
        var of2026 = Escalation(2026);
        var of2027 = Escalation(2027);
        await EscalateAsync(of2025, of2026, of2027);
        var list2027 = await FormalizedAsync(2027);
        var list2028 = await FormalizedAsync(2028);

        await using var first = await _database.UnitOfWork.BeginAsync(Ct);
        var firstPackage = await ListFormalizedHandler.PrepareAsync(first, list2027, Ct);
        // The second starts while the first holds its findings: it must wait for it rather than read them as waiting.
        var second = PrepareAsync(list2028);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.False(second.IsCompleted, "the second package was built while the first still held the findings");
        await first.CommitAsync(Ct);
        var secondPackage = await second.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(Ids(of2025, of2026), Reported(firstPackage));
        Assert.Equal(Ids(of2027), Reported(secondPackage));
        Assert.Equal(Ids(of2025, of2026), await CarriedByAsync(firstPackage.SubmissionId));
        Assert.Equal(Ids(of2027), await CarriedByAsync(secondPackage.SubmissionId));
    }

    [Fact]
    public async Task A_finding_escalated_after_a_package_was_built_goes_with_the_following_one_and_other_jurisdictions_keep_theirs()
    {
        var early = Escalation(2026);
        var neighbour = Escalation(2026, "070102");
        await EscalateAsync(early, neighbour);
        var first = await PrepareAsync(await FormalizedAsync(2027));
        var late = Escalation(2026);
        await EscalateAsync(late);

        var next = await PrepareAsync(await FormalizedAsync(2028));
        var afterThat = await PrepareAsync(await FormalizedAsync(2029));

        Assert.Equal(Ids(early), Reported(first));
        Assert.Equal(Ids(late), Reported(next));
        // Nothing is left for a third package, and a package without findings states no report at all.
        Assert.Empty(Reported(afterThat));
        Assert.DoesNotContain("oversightReport", afterThat.CanonicalContent, StringComparison.Ordinal);
        Assert.Equal(1, await _database.Db.ScalarAsync<long>(
            "SELECT count(*) FROM escalated_findings WHERE jurisdiction = '070102' AND carried_by IS NULL"));
    }

    [Fact]
    public async Task A_finding_escalated_again_is_kept_once_as_first_escalated()
    {
        var first = Escalation(2026);
        await EscalateAsync(first);

        await EscalateAsync(first with { EventId = Guid.CreateVersion7(), Text = "Otra versión", EscalatedAt = Raised.AddDays(40) });

        var package = await PrepareAsync(await FormalizedAsync(2027));
        var reported = SubmissionDocument.Parse(package.CanonicalContent).Findings.Single();
        Assert.Equal((first.FindingId, first.Text, "2026-03-22T15:00:00.000Z"), (reported.FindingId, reported.Text,
            reported.EscalatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["Se incluirá en la primera modificación"], reported.Answers.Select(a => a.Text));
    }

    [Fact]
    public async Task The_database_refuses_a_second_carrier_and_a_carrier_of_the_same_year()
    {
        var finding = Escalation(2026);
        await EscalateAsync(finding);
        var carrier = await PrepareAsync(await FormalizedAsync(2027));
        var other = await PrepareAsync(await FormalizedAsync(2028));
        var sameYear = Escalation(2027);
        await EscalateAsync(sameYear);

        var again = await Assert.ThrowsAsync<PostgresException>(() => _database.Db.ExecuteAsync(
            "UPDATE escalated_findings SET carried_by = @other WHERE finding_id = @id", new { other = other.SubmissionId, id = finding.FindingId }));
        var tooEarly = await Assert.ThrowsAsync<PostgresException>(() => _database.Db.ExecuteAsync(
            "UPDATE escalated_findings SET carried_by = @carrier WHERE finding_id = @id", new { carrier = carrier.SubmissionId, id = sameYear.FindingId }));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, again.SqlState);
        Assert.Equal(PostgresErrorCodes.CheckViolation, tooEarly.SqlState);
        Assert.Equal(Ids(finding), await CarriedByAsync(carrier.SubmissionId));
    }
}
