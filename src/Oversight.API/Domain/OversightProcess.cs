using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Oversight.Domain;

/// <summary>
/// What the process sets for its oversight: the day the opening budget (PIA) must include the agreed projects, the days
/// the government has to answer the committee, how long a project may go without recorded progress before it is
/// overdue, and the day the committee's term ends.
/// </summary>
public sealed record OversightSettings(DateOnly BudgetDeadline, int AnswerDays, int StaleDays, DateOnly TermEnds)
{
    /// <summary>The law's calendar: the council approves the PIA by 31 December before the fiscal year; the committee serves through it.</summary>
    public static OversightSettings Default(int fiscalYear) => new(new DateOnly(fiscalYear - 1, 12, 31), 15, 60, new DateOnly(fiscalYear, 12, 31));

    public static OversightSettings Of(DateOnly? budgetDeadline, int? answerDays, int? staleDays, DateOnly? termEnds, int fiscalYear)
    {
        var deadline = budgetDeadline ?? throw new DomainException("budgetDeadline", "The day (yyyy-MM-dd) by which the opening budget includes the agreed projects");
        if (deadline.Year < fiscalYear - 2 || deadline.Year > fiscalYear)
        {
            throw new DomainException("budgetDeadline", $"From {fiscalYear - 2} to {fiscalYear}, around the opening budget of {fiscalYear}");
        }
        if (answerDays is not (>= 1 and <= 90))
        {
            throw new DomainException("answerDays", "The days the government has to answer the committee, 1 to 90");
        }
        if (staleDays is not (>= 7 and <= 365))
        {
            throw new DomainException("staleDays", "The days without recorded progress after which a project shows overdue, 7 to 365");
        }
        var term = termEnds ?? throw new DomainException("termEnds", "The last day (yyyy-MM-dd) of the committee's term");
        if (term.Year < fiscalYear || term.Year > fiscalYear + 2)
        {
            throw new DomainException("termEnds", $"From the end of {fiscalYear} to the end of {fiscalYear + 2}: the committee follows the execution");
        }
        return new OversightSettings(deadline, answerDays.Value, staleDays.Value, term);
    }
}

public sealed record CommitteeMember(int Seat, Guid AgentId, string FullName, string Organisation, string? Quota, DateOnly TermFrom);

/// <summary>A process as oversight follows it: from registration's ProcessOpened, and once formalized, coordination's list and committee.</summary>
public sealed record OversightProcess(Guid ProcessId, string Jurisdiction, string Name, GovernmentLevel Level, int FiscalYear, OversightSettings Settings,
    Guid? ListId, string? ActaReference, DateTimeOffset? FormalizedAt, IReadOnlyList<CommitteeMember> Committee)
{
    public bool Formalized => FormalizedAt is not null;

    public DateOnly FormalizedOn => FormalizedAt is { } at ? DateWindow.DayInPeru(at) : throw new InvalidOperationException("Not formalized");

    /// <summary>The member the subject is, while the term runs: only the elected committee acts as it.</summary>
    public CommitteeMember RequireMember(Guid subject, DateTimeOffset now)
    {
        var member = Committee.FirstOrDefault(m => m.AgentId == subject)
            ?? throw new ForbiddenException("Only a member of this process's elected oversight committee acts for it");
        var today = DateWindow.DayInPeru(now);
        if (today < member.TermFrom || today > Settings.TermEnds)
        {
            throw new ForbiddenException($"The committee's term runs from {member.TermFrom:yyyy-MM-dd} to {Settings.TermEnds:yyyy-MM-dd}");
        }
        return member;
    }

    public void RequireFormalized()
    {
        if (!Formalized)
        {
            throw new ConflictException("processId", "The process's list is not formalized yet: oversight follows the formalized list");
        }
    }
}
