using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Registration.Domain;

/// <summary>One participatory-budgeting process: a jurisdiction's cycle for one fiscal year.</summary>
public sealed class Process
{
    public const int MaxNameLength = 200;

    public Guid Id { get; private init; }
    public string Jurisdiction { get; private init; } = "";
    public string Name { get; private init; } = "";
    public int FiscalYear { get; private init; }
    public GovernmentLevel Level { get; private init; }
    public decimal BudgetCeiling { get; private init; }
    public Stage Stage { get; private set; }
    public DateTimeOffset OpenedAt { get; private init; }
    /// <summary>Null only for processes opened before calendars existed (schema version 3); their steps are bound by stage alone.</summary>
    public ProcessCalendar? Calendar { get; private init; }
    /// <summary>Null only for processes opened before rules existed (schema version 3).</summary>
    public ProcessRules? Rules { get; private init; }
    public DateTimeOffset? EligibleListPublishedAt { get; private set; }

    /// <summary>Opens a process in Preparation with its calendar and rules; returns it with the event that tells the other services.</summary>
    public static (Process Process, ProcessOpened Opened) Open(string jurisdiction, string? name, int fiscalYear, string? level, decimal budgetCeiling,
        ProcessCalendar? calendar, ProcessRules? rules, DateTimeOffset now)
    {
        var trimmedName = Guard.Text("name", name, MaxNameLength);
        // PB is prepared the year before the budget it feeds; the year is Lima's, as every date of the calendar.
        var year = Domain.Calendar.Today(now).Year;
        if (fiscalYear < year || fiscalYear > year + 2)
        {
            throw new DomainException("fiscalYear", $"The fiscal year must be between {year} and {year + 2}");
        }
        if (!Stages.TryParseLevel(level, out var parsedLevel))
        {
            throw new DomainException("level", "The level must be district, province or region");
        }
        var code = Ubigeo.Parse("jurisdiction", jurisdiction);
        if (Ubigeo.LevelOf(code) != parsedLevel)
        {
            throw new DomainException("level", $"{code} is {Ubigeo.Describe(Ubigeo.LevelOf(code))} ubigeo, not {Ubigeo.Describe(parsedLevel)}");
        }
        Guard.Soles("budgetCeiling", budgetCeiling);

        var process = new Process
        {
            Id = Guid.CreateVersion7(now),
            Jurisdiction = code,
            Name = trimmedName,
            FiscalYear = fiscalYear,
            Level = parsedLevel,
            BudgetCeiling = budgetCeiling,
            Stage = Stage.Preparation,
            OpenedAt = now,
            Calendar = Domain.Calendar.Validate(calendar, fiscalYear),
            Rules = ValidateRules(rules),
        };
        return (process, new ProcessOpened
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            Name = process.Name,
            FiscalYear = process.FiscalYear,
            Level = process.Level,
            BudgetCeiling = process.BudgetCeiling,
            Stage = process.Stage,
            Calendar = process.Calendar,
            Rules = process.Rules,
        });
    }

    private static ProcessRules ValidateRules(ProcessRules? rules)
    {
        if (rules is null)
        {
            throw new DomainException("rules", "The rules are required: agents per organisation, training, ballot format, allocation rule, committee size, seats and quotas");
        }
        Within("rules.agentsPerOrganisation", rules.AgentsPerOrganisation, 1, 10, "agents an organisation may register");
        // Peru's rules ask for at least four civil-society members on the oversight committee.
        Within("rules.oversightCommitteeSize", rules.OversightCommitteeSize, 4, 15, "members of the oversight committee (at least four)");
        Within("rules.delegateSeats", rules.DelegateSeats, 0, 500, "delegate seats");
        Within("rules.directiveCommitteeSeats", rules.DirectiveCommitteeSeats, 0, 50, "seats of the directive committee");
        if (!Enum.IsDefined(rules.BallotFormat))
        {
            throw new DomainException("rules.ballotFormat", $"One of {string.Join(", ", Enum.GetNames<BallotFormat>())}");
        }
        if (!Enum.IsDefined(rules.CriteriaScoredBy))
        {
            throw new DomainException("rules.criteriaScoredBy", $"One of {string.Join(", ", Enum.GetNames<CriteriaScoredBy>())}");
        }
        if (!ProcessRules.AllocationRules.Contains(rules.AllocationRule))
        {
            throw new DomainException("rules.allocationRule", $"One of {string.Join(", ", ProcessRules.AllocationRules)} (greedy; Method of Equal Shares; equal shares with add1 completion)");
        }
        // The allocation library refuses this pair: equal shares needs additive utilities, and a ranking has none.
        if (rules.BallotFormat == BallotFormat.Ranked && rules.AllocationRule != "greedy")
        {
            throw new DomainException("rules.allocationRule", "Ranked ballots carry no additive utility, so equal shares cannot count them: use greedy, or another ballot format");
        }
        var quotas = rules.Quotas ?? [];
        for (var i = 0; i < quotas.Count; i++)
        {
            var q = quotas[i];
            var field = $"rules.quotas[{i}]";
            if (q is null || !Enum.IsDefined(q.Body) || !Enum.IsDefined(q.Group))
            {
                throw new DomainException(field, $"A quota names a body ({string.Join(", ", Enum.GetNames<SeatBody>())}), a group ({string.Join(", ", Enum.GetNames<QuotaGroup>())}) and its minimum seats");
            }
            Within($"{field}.minimumSeats", q.MinimumSeats, 1, rules.SeatsOf(q.Body), $"seats of {q.Body} reserved for {q.Group}");
            if (quotas.Take(i).Any(o => o.Body == q.Body && o.Group == q.Group))
            {
                throw new DomainException(field, $"{q.Body} already has a quota for {q.Group}");
            }
        }
        return rules with { Quotas = quotas };
    }

    private static void Within(string field, int value, int min, int max, string what)
    {
        if (value < min || value > max)
        {
            throw new DomainException(field, max < min ? $"No {what}: the body has no seats" : $"From {min} to {max} {what}");
        }
    }

    /// <summary>Stages advance one at a time, in order, not before the calendar opens the next; a closed stage never reopens.</summary>
    public StageAdvanced AdvanceTo(Stage next, DateOnly today)
    {
        if (next != Stage + 1)
        {
            throw new ConflictException("stage", $"The process is in {Stage}; the next stage is {(Stage == Stage.Oversight ? "none" : (Stage + 1).ToString())}, not {next}");
        }
        if (Calendar is not null && today < Calendar.Of(next).From)
        {
            throw new ConflictException("stage", $"{next} opens on {Calendar.Of(next).From:yyyy-MM-dd} by the calendar ({Calendar.Of(next)}); today is {today:yyyy-MM-dd}");
        }
        var from = Stage;
        Stage = next;
        return new StageAdvanced { ProcessId = Id, Jurisdiction = Jurisdiction, FromStage = from, ToStage = next };
    }

    /// <summary>The Preparation steps whose window holds today (windows may share a day), while in Preparation.</summary>
    public IReadOnlyList<PreparationStep> OpenSteps(DateOnly today) =>
        Stage != Stage.Preparation || Calendar is null ? [] : Enum.GetValues<PreparationStep>().Where(s => Calendar.Of(s).Contains(today)).ToList();

    /// <summary>A step of Preparation: in that stage and, when the process has a calendar, inside the step's window.</summary>
    public void RequireStep(PreparationStep step, string what, DateOnly today)
    {
        BuildingBlocks.Processes.StageRule.Require(Stage, what, Stage.Preparation);
        if (Calendar is not null)
        {
            Domain.Calendar.Require(Calendar, step, what, today);
        }
    }

    /// <summary>Review runs from the opening of registration until the list is published.</summary>
    public void RequireReviewOpen(string what, DateOnly today)
    {
        BuildingBlocks.Processes.StageRule.Require(Stage, what, Stage.Preparation);
        if (EligibleListPublishedAt is not null)
        {
            throw new ConflictException("eligibleList", $"{what} closed when the list of eligible agents was published ({EligibleListPublishedAt:yyyy-MM-dd})");
        }
        if (Calendar is not null)
        {
            Domain.Calendar.Require(new DateWindow(Calendar.Registration.From, Calendar.Publication.To), what, today);
        }
    }

    public void PublishEligibleList(DateOnly today, DateTimeOffset now)
    {
        RequireStep(PreparationStep.Publication, "Publication of the eligible list", today);
        if (EligibleListPublishedAt is not null)
        {
            throw new ConflictException("eligibleList", $"The list of eligible agents was published on {EligibleListPublishedAt:yyyy-MM-dd}");
        }
        EligibleListPublishedAt = now;
    }

    public void RequirePublished(string what)
    {
        if (EligibleListPublishedAt is null)
        {
            throw new ConflictException("eligibleList", $"{what} needs the list of eligible agents published first");
        }
    }

    public ProcessRules RulesInForce => Rules ?? throw new ConflictException("rules", "This process was opened before processes had rules");

    public static Process Restore(Guid id, string jurisdiction, string name, int fiscalYear, string level, decimal budgetCeiling, string stage, DateTimeOffset openedAt,
        ProcessCalendar? calendar, ProcessRules? rules, DateTimeOffset? eligibleListPublishedAt) => new()
    {
        Id = id,
        Jurisdiction = jurisdiction,
        Name = name,
        FiscalYear = fiscalYear,
        Level = Enum.Parse<GovernmentLevel>(level),
        BudgetCeiling = budgetCeiling,
        Stage = Enum.Parse<Stage>(stage),
        OpenedAt = openedAt,
        Calendar = calendar,
        Rules = rules,
        EligibleListPublishedAt = eligibleListPublishedAt,
    };
}
