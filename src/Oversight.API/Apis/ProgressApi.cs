using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Text;
using PBServices.Contracts;
using PBServices.Oversight.Domain;
using PBServices.Oversight.Infrastructure;

namespace PBServices.Oversight.Apis;

/// <summary>Public progress: what was agreed, what the budget took, what is committed and spent, and where each project stands.</summary>
public static class ProgressApi
{
    public static IEndpointRouteBuilder MapProgressApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/oversight").AllowAnonymous()
            .WithTag("Progress", "Public progress of the formalized agreements: agreed vs budgeted vs spent, per process, project and fiscal year; readable without signing in.");
        api.MapGet("/progress", GetProgress)
            .WithName("GetOversightProgress")
            .WithSummary("Agreed, budgeted, committed and spent by fiscal year, with each process and each project's status; of one jurisdiction (ubigeo) or all")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/progress.csv", GetProgressCsv)
            .WithName("GetOversightProgressCsv")
            .WithSummary("The same progress, one row per agreed project, as CSV")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/processes/{processId:guid}", GetProcess)
            .WithName("GetOversightProcess")
            .WithSummary("One process's progress: its totals, the elected oversight committee, its settings and every agreed project")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/projects/{proposalId:guid}", GetProject)
            .WithName("GetAgreedProject")
            .WithSummary("One agreed project followed through: budget standing and its history, milestones, changes with who decided and why, co-financing agreed vs delivered, evidence")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/projects/{proposalId:guid}/evidence/{evidenceId:guid}", GetEvidence)
            .WithName("GetEvidenceDocument")
            .WithSummary("Download an evidence document of a project (PDF, JPEG or PNG)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public sealed record CommitteeSeatResponse(int Seat, string FullName, string Organisation, string? Quota);

    public sealed record SettingsResponse(DateOnly BudgetDeadline, int AnswerDays, int StaleDays, DateOnly TermEnds);

    /// <summary>
    /// A project's standing. <paramref name="Budgeted"/> is the opening budget's amount once included; <paramref name="Committed"/> and
    /// <paramref name="Spent"/> are to date (comprometido, devengado); <paramref name="LastUpdate"/> is the day of the latest milestone.
    /// </summary>
    public sealed record ProjectSummary(Guid ProposalId, Guid ProcessId, int FiscalYear, int Rank, string Title, decimal AgreedCost, decimal CurrentCost, decimal? Budgeted,
        string? BudgetCode, string? LeftOutReason, decimal Committed, decimal Spent, int Progress, ProjectStatus Status, ExecutorKind Executor,
        string? ExecutingOrganisation, int? PostponedTo, int? SplitParts, bool? MinistryApproved, decimal? MinistryAmount, DateOnly? LastUpdate);

    public sealed record ProcessProgress(Guid ProcessId, string Jurisdiction, string Name, GovernmentLevel Level, int FiscalYear, string? ActaReference,
        DateTimeOffset? FormalizedAt, decimal Agreed, decimal Budgeted, decimal Committed, decimal Spent, SettingsResponse Settings, CommitteeSeatResponse[] Committee,
        ProjectSummary[] Projects);

    public sealed record YearProgress(int FiscalYear, int Projects, decimal Agreed, decimal Budgeted, decimal Committed, decimal Spent, ProcessProgress[] Processes);

    public sealed record ProgressReport(string? Jurisdiction, YearProgress[] Years);

    public sealed record BudgetEntryResponse(bool Included, string? BudgetCode, decimal? Amount, string? Reason, DateTimeOffset RecordedAt);

    public sealed record MilestoneResponse(Guid Id, MilestoneKind Kind, DateOnly Date, int Progress, decimal Committed, decimal Spent, string? OverspendReason, string? Note,
        DateTimeOffset RecordedAt);

    public sealed record ChangeResponse(Guid Id, ChangeKind Kind, string DecidedBy, string Reason, decimal? NewCost, int? PostponedTo, IReadOnlyList<SplitPart>? Parts,
        DateTimeOffset RecordedAt);

    /// <summary>An agreed share of the co-financing and what it has delivered.</summary>
    public sealed record ShareResponse(string PartyKind, string Party, string Contribution, decimal Agreed, decimal Delivered);

    public sealed record ContributionResponse(Guid Id, string PartyKind, string Party, string Contribution, decimal Amount, DateOnly Date, string? Note);

    public sealed record EvidenceResponse(Guid Id, Guid? MilestoneId, string Description, string ContentType, int Size, string Sha256, DateTimeOffset RecordedAt, string Url);

    public sealed record MinistryResponse(bool Approved, decimal Amount, string Reason, DateTimeOffset DecidedAt);

    public sealed record ProjectDetail(ProjectSummary Project, string? PlanObjective, decimal OwnShare, string? ExecutionAgreement, MinistryResponse? Ministry,
        BudgetEntryResponse[] Budget, MilestoneResponse[] Milestones, ChangeResponse[] Changes, ShareResponse[] Cofinancing, ContributionResponse[] Contributions,
        EvidenceResponse[] Evidence);

    private static async Task<Ok<ProgressReport>> GetProgress(string? jurisdiction, int? fiscalYear, UnitOfWorkFactory db, CancellationToken ct) =>
        TypedResults.Ok(await ReportAsync(jurisdiction, fiscalYear, db, ct));

    private static async Task<FileContentHttpResult> GetProgressCsv(string? jurisdiction, int? fiscalYear, UnitOfWorkFactory db, CancellationToken ct)
    {
        var report = await ReportAsync(jurisdiction, fiscalYear, db, ct);
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder();
        CsvText.AppendRow(csv, "fiscal_year", "jurisdiction", "process_id", "process", "rank", "proposal_id", "title", "agreed_cost", "current_cost", "budget_code", "budgeted",
            "committed", "spent", "progress_pct", "status", "executor", "left_out_reason");
        foreach (var year in report.Years)
        {
            foreach (var process in year.Processes)
            {
                foreach (var p in process.Projects)
                {
                    CsvText.AppendRow(csv, p.FiscalYear.ToString(inv), process.Jurisdiction, process.ProcessId.ToString(), process.Name, p.Rank.ToString(inv), p.ProposalId.ToString(),
                        p.Title, p.AgreedCost.ToString("F2", inv), p.CurrentCost.ToString("F2", inv), p.BudgetCode ?? "", p.Budgeted?.ToString("F2", inv) ?? "",
                        p.Committed.ToString("F2", inv), p.Spent.ToString("F2", inv), p.Progress.ToString(inv), p.Status.ToString(),
                        p.ExecutingOrganisation ?? p.Executor.ToString(), p.LeftOutReason ?? "");
                }
            }
        }
        var name = jurisdiction is null ? "avance" : $"avance-{jurisdiction}";
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"{name}.csv");
    }

    private static async Task<Ok<ProcessProgress>> GetProcess(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginReadAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var projects = await uow.GetProjectsOfAsync([processId], ct);
        return TypedResults.Ok(ToProgress(process, projects));
    }

    private static async Task<Ok<ProjectDetail>> GetProject(Guid proposalId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginReadAsync(ct);
        var project = await uow.GetProjectAsync(proposalId, ct);
        var process = await uow.GetProcessAsync(project.ProcessId, ct);
        var evidence = await uow.ListEvidenceAsync([proposalId], ct);
        return TypedResults.Ok(ToDetail(process, project, evidence));
    }

    private static async Task<FileContentHttpResult> GetEvidence(Guid proposalId, Guid evidenceId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginReadAsync(ct);
        var (type, content) = await uow.GetEvidenceContentAsync(proposalId, evidenceId, ct);
        return TypedResults.File(content, type, $"evidencia-{evidenceId}.{DocumentContent.ExtensionOf(type)}");
    }

    /// <summary>The report the page, the JSON and the CSV all read, so they never disagree.</summary>
    public static async Task<ProgressReport> ReportAsync(string? jurisdiction, int? fiscalYear, UnitOfWorkFactory db, CancellationToken ct)
    {
        if (jurisdiction is not null && (jurisdiction is not { Length: 6 } || !jurisdiction.All(char.IsAsciiDigit)))
        {
            throw new DomainException("jurisdiction", "A six-digit ubigeo, or leave it out for every jurisdiction");
        }
        if (fiscalYear is < 2000 or > 2100)
        {
            throw new DomainException("fiscalYear", "A fiscal year between 2000 and 2100");
        }
        await using var uow = await db.BeginReadAsync(ct);
        var processes = await uow.ListProcessesAsync(jurisdiction, fiscalYear, ct);
        var projects = (await uow.GetProjectsOfAsync(processes.Select(p => p.ProcessId).ToList(), ct)).ToLookup(p => p.ProcessId);
        var years = processes.Select(p => ToProgress(p, projects[p.ProcessId].ToList())).GroupBy(p => p.FiscalYear).OrderByDescending(g => g.Key)
            .Select(g => new YearProgress(g.Key, g.Sum(p => p.Projects.Length), g.Sum(p => p.Agreed), g.Sum(p => p.Budgeted), g.Sum(p => p.Committed), g.Sum(p => p.Spent),
                g.ToArray()))
            .ToArray();
        return new ProgressReport(jurisdiction, years);
    }

    public static ProcessProgress ToProgress(OversightProcess process, IReadOnlyList<AgreedProject> projects)
    {
        var summaries = projects.OrderBy(p => p.Rank).Select(p => ToSummary(process, p)).ToArray();
        return new ProcessProgress(process.ProcessId, process.Jurisdiction, process.Name, process.Level, process.FiscalYear, process.ActaReference, process.FormalizedAt,
            summaries.Sum(p => p.AgreedCost), summaries.Sum(p => p.Budgeted ?? 0), summaries.Sum(p => p.Committed), summaries.Sum(p => p.Spent),
            new SettingsResponse(process.Settings.BudgetDeadline, process.Settings.AnswerDays, process.Settings.StaleDays, process.Settings.TermEnds),
            process.Committee.Select(m => new CommitteeSeatResponse(m.Seat, m.FullName, m.Organisation, m.Quota)).ToArray(), summaries);
    }

    public static ProjectSummary ToSummary(OversightProcess process, AgreedProject p) =>
        new(p.ProposalId, p.ProcessId, process.FiscalYear, p.Rank, p.Title, p.AgreedCost, p.CurrentCost, p.InBudget ? p.CurrentBudget!.Amount : null,
            p.InBudget ? p.CurrentBudget!.BudgetCode : null, p.CurrentBudget is { Included: false } left ? left.Reason : null, p.Committed, p.Spent, p.Progress, p.Status,
            p.Executor.Kind, p.Executor.Organisation, p.PostponedTo, p.SplitParts, p.Ministry?.Approved, p.Ministry?.Amount, p.Latest?.Date);

    public static ProjectDetail ToDetail(OversightProcess process, AgreedProject p, IReadOnlyList<EvidenceInfo> evidence) =>
        new(ToSummary(process, p), p.PlanObjective, p.OwnShare, p.Executor.Agreement,
            p.Ministry is { } m ? new MinistryResponse(m.Approved, m.Amount, m.Reason, m.DecidedAt) : null,
            p.Budget.Select(b => new BudgetEntryResponse(b.Included, b.BudgetCode, b.Amount, b.Reason, b.RecordedAt)).ToArray(),
            p.Milestones.Select(m => new MilestoneResponse(m.Id, m.Kind, m.Date, m.Progress, m.Committed, m.Spent, m.OverspendReason, m.Note, m.RecordedAt)).ToArray(),
            p.Changes.Select(c => new ChangeResponse(c.Id, c.Kind, c.DecidedBy, c.Reason, c.NewCost, c.PostponedTo, c.Parts, c.RecordedAt)).ToArray(),
            p.Delivered().Select(d => new ShareResponse(d.Share.PartyKind, d.Share.Party, d.Share.Contribution, d.Share.Amount, d.Delivered)).ToArray(),
            p.Contributions.Select(c => new ContributionResponse(c.Id, c.PartyKind, c.Party, c.Kind, c.Amount, c.Date, c.Note)).ToArray(),
            evidence.Select(e => new EvidenceResponse(e.Id, e.MilestoneId, e.Description, e.ContentType, e.Size, e.Sha256, e.RecordedAt,
                $"/api/oversight/projects/{p.ProposalId}/evidence/{e.Id}")).ToArray());
}
