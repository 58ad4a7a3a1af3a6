using System.Text.Json.Serialization;

namespace PBServices.Contracts;

/// <summary>A window of calendar days, both included, in Peru's time (America/Lima).</summary>
public sealed record DateWindow(DateOnly From, DateOnly To)
{
    /// <summary>Peru keeps UTC−5 all year (no daylight saving), so a fixed offset is Lima's clock.</summary>
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    /// <summary>The calendar day in Peru at an instant: the day every window is counted in.</summary>
    public static DateOnly DayInPeru(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Lima).DateTime);

    public bool Contains(DateOnly day) => day >= From && day <= To;

    public override string ToString() => $"{From:yyyy-MM-dd} to {To:yyyy-MM-dd}";
}

/// <summary>The steps of Preparation, in the order municipalities run them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PreparationStep>))]
public enum PreparationStep
{
    Registration,
    Publication,
    Objections,
    Accreditation,
    Training,
}

/// <summary>
/// A process's calendar: a window for each step of Preparation and for each later stage, in order.
/// Fixed when the process opens and public, like its rules.
/// </summary>
public sealed record ProcessCalendar(
    DateWindow Registration,
    DateWindow Publication,
    DateWindow Objections,
    DateWindow Accreditation,
    DateWindow Training,
    DateWindow Concertation,
    DateWindow Coordination,
    DateWindow Formalization,
    DateWindow Submission,
    DateWindow Oversight)
{
    public DateWindow Of(PreparationStep step) => step switch
    {
        PreparationStep.Registration => Registration,
        PreparationStep.Publication => Publication,
        PreparationStep.Objections => Objections,
        PreparationStep.Accreditation => Accreditation,
        PreparationStep.Training => Training,
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };

    /// <summary>Preparation spans its steps; every later stage has its own window.</summary>
    public DateWindow Of(Stage stage) => stage switch
    {
        Stage.Preparation => new DateWindow(Registration.From, Training.To),
        Stage.Concertation => Concertation,
        Stage.Coordination => Coordination,
        Stage.Formalization => Formalization,
        Stage.Submission => Submission,
        Stage.Oversight => Oversight,
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>Every window by name, in calendar order.</summary>
    public IEnumerable<(string Name, DateWindow Window)> InOrder() =>
    [
        ("registration", Registration), ("publication", Publication), ("objections", Objections),
        ("accreditation", Accreditation), ("training", Training), ("concertation", Concertation),
        ("coordination", Coordination), ("formalization", Formalization), ("submission", Submission), ("oversight", Oversight),
    ];
}

[JsonConverter(typeof(JsonStringEnumConverter<BallotFormat>))]
public enum BallotFormat
{
    /// <summary>Approve any number of projects, optionally within a budget limit or a maximum count.</summary>
    Approval,
    /// <summary>Rank projects in order of preference.</summary>
    Ranked,
    /// <summary>Spread a number of points over projects.</summary>
    Cumulative,
    /// <summary>One project per voter.</summary>
    Plurality,
}

/// <summary>The bodies whose seats are assigned under quotas.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeatBody>))]
public enum SeatBody
{
    /// <summary>The delegates of the agents (Ilo: at least 50% women).</summary>
    Delegates,
    /// <summary>The directive committee (Ilo: three seats reserved for women).</summary>
    DirectiveCommittee,
    /// <summary>The oversight committee (Comité de Vigilancia), elected by the agents at the formalization workshop.</summary>
    OversightCommittee,
}

/// <summary>The groups a quota can reserve seats for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QuotaGroup>))]
public enum QuotaGroup
{
    Women,
    /// <summary>Aged 29 or less in the fiscal year (Peru's youth law, Ley 27802, counts 15 to 29).</summary>
    Youth,
    /// <summary>Representing an indigenous or peasant community.</summary>
    Indigenous,
}

/// <summary>At least <see cref="MinimumSeats"/> of a body's seats go to members of the group.</summary>
public sealed record Quota(SeatBody Body, QuotaGroup Group, int MinimumSeats);

/// <summary>Who records the scores of a process's criteria matrix.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CriteriaScoredBy>))]
public enum CriteriaScoredBy
{
    /// <summary>The members of the technical team.</summary>
    TechnicalTeam,
    /// <summary>The participating agents who may vote.</summary>
    Agents,
    /// <summary>The PB office.</summary>
    ProcessAdmin,
}

/// <summary>
/// The rules of a process, fixed when it opens and visible to everyone. The allocation rule is named as
/// pbtool and the allocation library name it: greedy, mes (Method of Equal Shares), mes-add1.
/// The last two parameters have defaults (the technical team scores; no workshop is required), so rules published
/// before they existed (events, stored copies, requests) still read.
/// </summary>
public sealed record ProcessRules(
    int AgentsPerOrganisation,
    bool TrainingRequiredToVote,
    BallotFormat BallotFormat,
    string AllocationRule,
    int OversightCommitteeSize,
    int DelegateSeats,
    int DirectiveCommitteeSeats,
    IReadOnlyList<Quota> Quotas,
    CriteriaScoredBy CriteriaScoredBy = CriteriaScoredBy.TechnicalTeam,
    bool PrioritisationWorkshopRequiredToVote = false)
{
    public static readonly IReadOnlyList<string> AllocationRules = ["greedy", "mes", "mes-add1"];

    public int SeatsOf(SeatBody body) => body switch
    {
        SeatBody.Delegates => DelegateSeats,
        SeatBody.DirectiveCommittee => DirectiveCommitteeSeats,
        _ => OversightCommitteeSize,
    };
}
