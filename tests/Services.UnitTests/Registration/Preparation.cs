using PBServices.Contracts;
using PBServices.Registration.Domain;

namespace PBServices.UnitTests.Registration;

/// <summary>
/// A district process for fiscal year 2027 prepared in 2026, as Miraflores would run it, and the steps
/// that bring its applications to each state. Every time is fixed and in Lima's clock (UTC−5).
/// </summary>
internal static class Preparation
{
    public const string Miraflores = "150122";
    public const int FiscalYear = 2027;

    public static readonly ProcessCalendar Windows = new(
        Registration: Window("2026-03-02", "2026-03-13"),
        Publication: Window("2026-03-16", "2026-03-20"),
        Objections: Window("2026-03-23", "2026-03-27"),
        Accreditation: Window("2026-03-30", "2026-04-03"),
        Training: Window("2026-04-06", "2026-04-17"),
        Concertation: Window("2026-04-20", "2026-05-29"),
        Coordination: Window("2026-06-01", "2026-06-12"),
        Formalization: Window("2026-06-15", "2026-06-26"),
        Submission: Window("2026-06-29", "2026-07-10"),
        Oversight: Window("2026-07-13", "2027-12-31"));

    public static readonly ProcessRules Rules = new(
        AgentsPerOrganisation: 2,
        TrainingRequiredToVote: true,
        BallotFormat: BallotFormat.Approval,
        AllocationRule: "mes",
        OversightCommitteeSize: 5,
        DelegateSeats: 4,
        DirectiveCommitteeSeats: 7,
        Quotas: [new Quota(SeatBody.Delegates, QuotaGroup.Women, 2), new Quota(SeatBody.DirectiveCommittee, QuotaGroup.Women, 3)]);

    public static readonly DateTimeOffset OpenedAt = At("2026-02-16");
    public static readonly DateTimeOffset InRegistration = At("2026-03-05");
    public static readonly DateTimeOffset InPublication = At("2026-03-17");
    public static readonly DateTimeOffset InObjections = At("2026-03-24");
    public static readonly DateTimeOffset InAccreditation = At("2026-03-31");

    public static DateWindow Window(string from, string to) => new(DateOnly.Parse(from), DateOnly.Parse(to));

    /// <summary>Ten in the morning in Lima on that day.</summary>
    public static DateTimeOffset At(string day, int hour = 10) =>
        new(DateOnly.Parse(day).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(-5));

    public static DateOnly Day(string day) => DateOnly.Parse(day);

    public static Process Open(ProcessRules? rules = null) =>
        Process.Open(Miraflores, "PP 2027 Distrito de Miraflores", FiscalYear, "district", 2_500_000m, Windows, rules ?? Rules, OpenedAt).Process;

    public static Organisation Committee(string territory = Miraflores, string type = "NeighbourhoodCommittee", string actsFor = "PE") =>
        Organisation.Register(actsFor, "officer-1", "Comité Vecinal Santa Cruz", type, "Municipal", "RM-0457-2024", Day("2024-05-10"),
            territory, 120, Day("2026-03-05"));

    public static PersonDetails Representative(string dni = "41234567", string name = "Rosa Quispe Mamani", string gender = "Female", int birthYear = 1980) =>
        new("Representative", dni, name, gender, birthYear, "+51987654321", "rosa.quispe@example.pe");

    public static PersonDetails Alternate(string dni = "42345678", string name = "Juan Huamán Torres", string gender = "Male", int birthYear = 1990) =>
        new("Alternate", dni, name, gender, birthYear, "987123456", null);

    public static AgentApplication Submit(Process process, params PersonDetails[] persons)
    {
        var organisation = Committee();
        return AgentApplication.Submit(process, organisation.Id, organisation, "Online",
            persons.Length == 0 ? [Representative(), Alternate()] : persons, "organisation-user", InRegistration);
    }

    public static Document Pdf(DocumentKind kind) => Document.Accept(kind.ToString(), "%PDF-1.7\n"u8.ToArray(), InRegistration).Document;

    public static void AttachAll(Process process, AgentApplication application)
    {
        foreach (var kind in Document.RequiredForEligibility)
        {
            application.Attach(process, Pdf(kind), InRegistration);
        }
    }

    public static async Task ConfirmAllAsync(Process process, AgentApplication application, DateTimeOffset? at = null)
    {
        foreach (var agent in application.Agents)
        {
            await application.ConfirmIdentityAsync(process, agent.Id, "DeskCard", "officer-1", new OfficerCardCheck(), at ?? InRegistration,
                TestContext.Current.CancellationToken);
        }
    }

    /// <summary>An application the committee found eligible, its documents and identities complete.</summary>
    public static async Task<AgentApplication> EligibleAsync(Process process, params PersonDetails[] persons)
    {
        var application = Submit(process, persons);
        AttachAll(process, application);
        await ConfirmAllAsync(process, application);
        application.Review(process, "Eligible", null, null, InRegistration);
        return application;
    }

    /// <summary>The process with the list of eligible agents published, and the representative on it.</summary>
    public static async Task<(Process Process, ParticipatingAgent Entry)> PublishedAsync()
    {
        var process = Open();
        var application = await EligibleAsync(process);
        process.PublishEligibleList(Windows.Publication.From, InPublication);
        return (process, application.Agents[0]);
    }

    /// <summary>An agent in a given state, as the store restores it.</summary>
    public static ParticipatingAgent Agent(Process process, string gender = "Female", int birthYear = 1980, string status = "Accredited", string name = "Rosa Quispe Mamani") =>
        ParticipatingAgent.Restore(Guid.CreateVersion7(), process.Id, Guid.CreateVersion7(), "Representative", name, "40000000",
            "Comité Vecinal Santa Cruz", gender, birthYear, null, null, status, "officer-1", OpenedAt, "DeskCard");
}
