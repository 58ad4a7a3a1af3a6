using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Oversight.Domain;

/// <summary>The steps of a public work, in the order they happen; progress reports come between works start and completion.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MilestoneKind>))]
public enum MilestoneKind
{
    /// <summary>The expediente técnico approved.</summary>
    TechnicalFile,
    Tender,
    WorksStart,
    Progress,
    Completion,
    /// <summary>Handed over to the community or the body that runs it.</summary>
    Handover,
}

[JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))]
public enum ChangeKind
{
    /// <summary>Split into parts executed separately (the parts' costs add up to the project's).</summary>
    Split,
    /// <summary>Re-scoped to a new cost.</summary>
    Rescoped,
    /// <summary>Postponed to a later fiscal year.</summary>
    Postponed,
}

/// <summary>Where a project stands, as the public progress shows it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProjectStatus>))]
public enum ProjectStatus
{
    /// <summary>Formalized; nothing recorded of the budget yet.</summary>
    Agreed,
    /// <summary>Left out of the opening budget, with the reason recorded.</summary>
    LeftOut,
    Budgeted,
    TechnicalFile,
    Tender,
    InExecution,
    Completed,
    HandedOver,
    Postponed,
}

[JsonConverter(typeof(JsonStringEnumConverter<ExecutorKind>))]
public enum ExecutorKind
{
    Government,
    /// <summary>A civil-society organisation executing the works under an agreement (San Juan de Lurigancho's model).</summary>
    Organisation,
}

public sealed record BudgetEntry(Guid Id, bool Included, string? BudgetCode, decimal? Amount, string? Reason, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Milestone(Guid Id, MilestoneKind Kind, DateOnly Date, int Progress, decimal Committed, decimal Spent, string? OverspendReason, string? Note,
    string RecordedBy, DateTimeOffset RecordedAt);

public sealed record SplitPart(string Title, decimal Cost);

public sealed record ProjectChange(Guid Id, ChangeKind Kind, string DecidedBy, string Reason, decimal? NewCost, int? PostponedTo, IReadOnlyList<SplitPart>? Parts,
    string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>A party's share of the project as the co-financing agreement set it.</summary>
public sealed record AgreedShare(string PartyKind, string Party, string Contribution, decimal Amount);

/// <summary>What a party actually contributed, in money, materials or labour (valued in soles), on a day.</summary>
public sealed record Contribution(Guid Id, string PartyKind, string Party, string Kind, decimal Amount, DateOnly Date, string? Note, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Executor(ExecutorKind Kind, string? Organisation, string? Agreement);

/// <summary>The Ministry's decision on the project, as the submission received it.</summary>
public sealed record MinistryDecision(bool Approved, decimal Amount, string Reason, DateTimeOffset DecidedAt);

/// <summary>
/// One project of a formalized list followed into the budget and through execution. The government side records; the
/// rules here make what it records consistent: an inclusion names its code and amount and a leaving-out its reason;
/// milestones come in the order works happen, with progress and spending to date that never go back; spending beyond
/// the agreed cost needs its reason; a change says who decided it and why.
/// </summary>
public sealed class AgreedProject
{
    public Guid ProposalId { get; init; }
    public Guid ProcessId { get; init; }
    public int Rank { get; init; }
    public string Title { get; init; } = "";
    public decimal AgreedCost { get; init; }
    public decimal OwnShare { get; init; }
    public string? PlanObjective { get; init; }
    /// <summary>The agreed cost, or the cost a recorded re-scoping set.</summary>
    public decimal CurrentCost { get; private set; }
    public int? PostponedTo { get; private set; }
    public int? SplitParts { get; private set; }
    public Executor Executor { get; private set; } = new(ExecutorKind.Government, null, null);
    public MinistryDecision? Ministry { get; init; }
    public IReadOnlyList<AgreedShare> Cofinancing { get; init; } = [];
    public IReadOnlyList<BudgetEntry> Budget { get; init; } = [];
    public IReadOnlyList<Milestone> Milestones { get; init; } = [];
    public IReadOnlyList<ProjectChange> Changes { get; init; } = [];
    public IReadOnlyList<Contribution> Contributions { get; init; } = [];

    public const int MaxText = 2000;

    public BudgetEntry? CurrentBudget => Budget.Count == 0 ? null : Budget[^1];

    public bool InBudget => CurrentBudget is { Included: true };

    public Milestone? Latest => Milestones.Count == 0 ? null : Milestones[^1];

    public int Progress => Latest?.Progress ?? 0;

    public decimal Committed => Latest?.Committed ?? 0;

    public decimal Spent => Latest?.Spent ?? 0;

    public ProjectStatus Status =>
        PostponedTo is not null ? ProjectStatus.Postponed
        : Milestones.Any(m => m.Kind == MilestoneKind.Handover) ? ProjectStatus.HandedOver
        : Milestones.Any(m => m.Kind == MilestoneKind.Completion) ? ProjectStatus.Completed
        : Milestones.Any(m => m.Kind is MilestoneKind.WorksStart or MilestoneKind.Progress) ? ProjectStatus.InExecution
        : Milestones.Any(m => m.Kind == MilestoneKind.Tender) ? ProjectStatus.Tender
        // Left out of the budget shows as such even with its technical file ready: that is what the committee must see.
        : CurrentBudget is { Included: false } ? ProjectStatus.LeftOut
        : Milestones.Any(m => m.Kind == MilestoneKind.TechnicalFile) ? ProjectStatus.TechnicalFile
        : InBudget ? ProjectStatus.Budgeted
        : ProjectStatus.Agreed;

    public static AgreedProject Restore(Guid proposalId, Guid processId, int rank, string title, decimal agreedCost, decimal ownShare, string? planObjective,
        decimal currentCost, int? postponedTo, int? splitParts, Executor executor, MinistryDecision? ministry, IReadOnlyList<AgreedShare> cofinancing,
        IReadOnlyList<BudgetEntry> budget, IReadOnlyList<Milestone> milestones, IReadOnlyList<ProjectChange> changes, IReadOnlyList<Contribution> contributions) =>
        new()
        {
            ProposalId = proposalId, ProcessId = processId, Rank = rank, Title = title, AgreedCost = agreedCost, OwnShare = ownShare, PlanObjective = planObjective,
            CurrentCost = currentCost, PostponedTo = postponedTo, SplitParts = splitParts, Executor = executor, Ministry = ministry, Cofinancing = cofinancing,
            Budget = budget, Milestones = milestones, Changes = changes, Contributions = contributions,
        };

    /// <summary>Included in the opening budget with its code and amount, or left out with the reason; a second entry corrects the first and says why.</summary>
    public BudgetEntry RecordBudget(bool? included, string? budgetCode, decimal? amount, string? reason, string recordedBy, DateTimeOffset now)
    {
        if (included is not { } isIncluded)
        {
            throw new DomainException("included", "true when the project is in the opening budget (PIA), false when it was left out");
        }
        var why = string.IsNullOrWhiteSpace(reason) ? null : Guard.Text("reason", reason, MaxText);
        if (isIncluded)
        {
            if (budgetCode is not { Length: 7 } || !budgetCode.All(char.IsAsciiDigit))
            {
                throw new DomainException("budgetCode", "The project's seven-digit investment code (código único de inversiones) in the budget");
            }
            Guard.Soles("amount", amount ?? 0);
        }
        else
        {
            if (budgetCode is not null || amount is not null)
            {
                throw new DomainException("budgetCode", "A project left out of the budget has no budget code or amount");
            }
            if (why is null)
            {
                throw new DomainException("reason", "Why the project was left out of the opening budget: the committee reads it");
            }
        }
        if (CurrentBudget is { } previous && why is null)
        {
            throw new DomainException("reason", $"The budget standing was recorded on {previous.RecordedAt:yyyy-MM-dd}: say why it changes");
        }
        return new BudgetEntry(Guid.CreateVersion7(now), isIncluded, isIncluded ? budgetCode : null, isIncluded ? amount : null, why, recordedBy, now);
    }

    /// <summary>
    /// A milestone with the figures to date. Kinds come in the order of <see cref="MilestoneKind"/> (progress only between works
    /// start and completion), once each but progress; from the tender on the project must be in the budget; dates, progress,
    /// commitment and spending never go back; spending stays within the commitment and, beyond the agreed cost, needs its reason.
    /// </summary>
    public Milestone RecordMilestone(MilestoneKind? kind, DateOnly? date, int? progress, decimal? committed, decimal? spent, string? overspendReason, string? note,
        string recordedBy, DateTimeOffset now)
    {
        if (kind is not { } k || !Enum.IsDefined(k))
        {
            throw new DomainException("kind", "TechnicalFile, Tender, WorksStart, Progress, Completion or Handover");
        }
        if (PostponedTo is { } year)
        {
            throw new ConflictException("proposalId", $"The project was postponed to {year}: its execution is followed there");
        }
        var day = date ?? throw new DomainException("date", "The day the milestone happened (yyyy-MM-dd)");
        if (day > DateWindow.DayInPeru(now))
        {
            throw new DomainException("date", "A milestone is recorded once it has happened, not ahead");
        }
        if (k != MilestoneKind.Progress && Milestones.Any(m => m.Kind == k))
        {
            throw new ConflictException("kind", $"{k} is already recorded");
        }
        var highest = Milestones.Count == 0 ? (MilestoneKind?)null : Milestones.Max(m => m.Kind);
        if (highest is { } h && k < h)
        {
            throw new ConflictException("kind", $"{k} comes before {h}, which is already recorded");
        }
        if (k == MilestoneKind.Progress && !Milestones.Any(m => m.Kind == MilestoneKind.WorksStart))
        {
            throw new ConflictException("kind", "Progress is reported once the works have started (WorksStart)");
        }
        if (k == MilestoneKind.Handover && !Milestones.Any(m => m.Kind == MilestoneKind.Completion))
        {
            throw new ConflictException("kind", "A project is handed over once completed (Completion)");
        }
        if (k >= MilestoneKind.Tender && !InBudget)
        {
            throw new ConflictException("budget", "The project is not in the budget: record its inclusion before the tender");
        }
        var latest = Latest;
        if (latest is not null && day < latest.Date)
        {
            throw new DomainException("date", $"Before the last milestone recorded ({latest.Kind}, {latest.Date:yyyy-MM-dd})");
        }
        var pct = progress ?? (k is MilestoneKind.Completion or MilestoneKind.Handover ? 100 : latest?.Progress ?? 0);
        if (pct is < 0 or > 100)
        {
            throw new DomainException("progress", "Physical progress in percent, 0 to 100");
        }
        if (k is MilestoneKind.Completion or MilestoneKind.Handover && pct != 100)
        {
            throw new DomainException("progress", "A completed project is 100% done");
        }
        if (pct < Progress)
        {
            throw new DomainException("progress", $"Progress never goes back: {Progress}% is recorded");
        }
        var commit = Amount("committed", committed ?? Committed);
        var spend = Amount("spent", spent ?? Spent);
        if (commit < Committed)
        {
            throw new DomainException("committed", $"The amount committed to date never goes back: S/ {Committed:N2} is recorded");
        }
        if (spend < Spent)
        {
            throw new DomainException("spent", $"The amount spent to date never goes back: S/ {Spent:N2} is recorded");
        }
        if (spend > commit)
        {
            throw new DomainException("spent", "Spent to date (devengado) cannot exceed what is committed (comprometido)");
        }
        var over = string.IsNullOrWhiteSpace(overspendReason) ? null : Guard.Text("overspendReason", overspendReason, MaxText);
        if (spend > CurrentCost && over is null)
        {
            throw new DomainException("overspendReason", $"S/ {spend:N2} spent is beyond the agreed S/ {CurrentCost:N2}: record the reason");
        }
        var text = string.IsNullOrWhiteSpace(note) ? null : Guard.Text("note", note, MaxText);
        return new Milestone(Guid.CreateVersion7(now), k, day, pct, commit, spend, over, text, recordedBy, now);
    }

    /// <summary>A split, re-scoping or postponement: who decided (the authority and its act) and why, always.</summary>
    public ProjectChange RecordChange(ChangeKind? kind, string? decidedBy, string? reason, decimal? newCost, int? postponedTo, IReadOnlyList<SplitPart>? parts,
        int fiscalYear, string recordedBy, DateTimeOffset now)
    {
        if (kind is not { } k || !Enum.IsDefined(k))
        {
            throw new DomainException("kind", "Split, Rescoped or Postponed");
        }
        var who = Guard.Text("decidedBy", decidedBy, 300);
        var why = Guard.Text("reason", reason, MaxText);
        if (PostponedTo is { } year)
        {
            throw new ConflictException("proposalId", $"The project was postponed to {year}");
        }
        if (Status is ProjectStatus.Completed or ProjectStatus.HandedOver)
        {
            throw new ConflictException("proposalId", "The project is completed");
        }
        switch (k)
        {
            case ChangeKind.Rescoped:
                if (postponedTo is not null || parts is not null)
                {
                    throw new DomainException("newCost", "A re-scoping names the new cost only");
                }
                var cost = Guard.Soles("newCost", newCost ?? 0);
                if (cost == CurrentCost)
                {
                    throw new DomainException("newCost", "The project already costs that");
                }
                return new ProjectChange(Guid.CreateVersion7(now), k, who, why, cost, null, null, recordedBy, now);
            case ChangeKind.Postponed:
                if (newCost is not null || parts is not null)
                {
                    throw new DomainException("postponedTo", "A postponement names the fiscal year only");
                }
                if (postponedTo is not { } to || to <= fiscalYear || to > fiscalYear + 5)
                {
                    throw new DomainException("postponedTo", $"A later fiscal year than {fiscalYear}, at most {fiscalYear + 5}");
                }
                return new ProjectChange(Guid.CreateVersion7(now), k, who, why, null, to, null, recordedBy, now);
            default:
                if (newCost is not null || postponedTo is not null)
                {
                    throw new DomainException("parts", "A split names its parts only");
                }
                if (parts is not { Count: >= 2 and <= 20 })
                {
                    throw new DomainException("parts", "Two to twenty parts, each with a title and a cost");
                }
                var checkedParts = parts.Select((p, i) => new SplitPart(Guard.Text($"parts[{i}].title", p.Title, 300), Guard.Soles($"parts[{i}].cost", p.Cost))).ToList();
                if (checkedParts.Sum(p => p.Cost) != CurrentCost)
                {
                    throw new DomainException("parts", $"The parts add up to S/ {checkedParts.Sum(p => p.Cost):N2}, not the project's S/ {CurrentCost:N2}");
                }
                return new ProjectChange(Guid.CreateVersion7(now), k, who, why, null, null, checkedParts, recordedBy, now);
        }
    }

    public void Apply(ProjectChange change)
    {
        switch (change.Kind)
        {
            case ChangeKind.Rescoped:
                CurrentCost = change.NewCost!.Value;
                break;
            case ChangeKind.Postponed:
                PostponedTo = change.PostponedTo;
                break;
            default:
                SplitParts = change.Parts!.Count;
                break;
        }
    }

    /// <summary>Who executes the works: the government itself, or a civil-society organisation under a named agreement.</summary>
    public Executor AssignExecutor(ExecutorKind? kind, string? organisation, string? agreement)
    {
        Executor = kind switch
        {
            ExecutorKind.Government when organisation is null && agreement is null => new Executor(ExecutorKind.Government, null, null),
            ExecutorKind.Government => throw new DomainException("organisation", "The government executes it itself: no organisation or agreement"),
            ExecutorKind.Organisation => new Executor(ExecutorKind.Organisation, Guard.Text("organisation", organisation, 300), Guard.Text("agreement", agreement, 300)),
            _ => throw new DomainException("kind", "Government or Organisation"),
        };
        return Executor;
    }

    /// <summary>A contribution is recorded against a share the co-financing agreed: the same party, in the same kind.</summary>
    public Contribution RecordContribution(string? partyKind, string? party, string? kind, decimal? amount, DateOnly? date, string? note, string recordedBy,
        DateTimeOffset now)
    {
        if (Cofinancing.Count == 0)
        {
            throw new ConflictException("party", "The project has no co-financing agreed: contributions are recorded against the agreement");
        }
        var share = Cofinancing.FirstOrDefault(s => string.Equals(s.PartyKind, partyKind, StringComparison.OrdinalIgnoreCase)
            && string.Equals(s.Party, party?.Trim(), StringComparison.Ordinal) && string.Equals(s.Contribution, kind, StringComparison.OrdinalIgnoreCase))
            ?? throw new DomainException("party", "Not a share of the co-financing agreed; the agreed shares are: "
                + string.Join("; ", Cofinancing.Select(s => $"{s.PartyKind} '{s.Party}' in {s.Contribution}")));
        var value = Guard.Soles("amount", amount ?? 0);
        var day = date ?? throw new DomainException("date", "The day of the contribution (yyyy-MM-dd)");
        if (day > DateWindow.DayInPeru(now))
        {
            throw new DomainException("date", "A contribution is recorded once made, not ahead");
        }
        var text = string.IsNullOrWhiteSpace(note) ? null : Guard.Text("note", note, MaxText);
        return new Contribution(Guid.CreateVersion7(now), share.PartyKind, share.Party, share.Contribution, value, day, text, recordedBy, now);
    }

    /// <summary>What each agreed share has delivered so far.</summary>
    public IReadOnlyList<(AgreedShare Share, decimal Delivered)> Delivered() =>
        Cofinancing.Select(s => (s, Contributions.Where(c => c.PartyKind == s.PartyKind && c.Party == s.Party && c.Kind == s.Contribution).Sum(c => c.Amount))).ToList();

    /// <summary>The day the project last showed life: its latest milestone, else its budget standing, else the formalization.</summary>
    public DateOnly LastActivity(DateOnly formalized) =>
        Latest?.Date ?? (CurrentBudget is { } b ? DateWindow.DayInPeru(b.RecordedAt) : formalized);

    private static decimal Amount(string field, decimal value)
    {
        if (value < 0 || decimal.Round(value, 2) != value || value > Guard.MaxSoles)
        {
            throw new DomainException(field, "An amount of soles, zero or more, with at most two decimals");
        }
        return value;
    }
}
