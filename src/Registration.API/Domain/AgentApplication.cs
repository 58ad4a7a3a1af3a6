using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.Registration.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<ApplicationStatus>))]
public enum ApplicationStatus
{
    Submitted,
    /// <summary>Returned to the organisation: what to correct, by which date.</summary>
    Observed,
    Eligible,
    Rejected,
}

[JsonConverter(typeof(JsonStringEnumConverter<Channel>))]
public enum Channel
{
    Online,
    /// <summary>At the municipality's registration desk.</summary>
    Desk,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReviewDecision>))]
public enum ReviewDecision
{
    Eligible,
    Observed,
    Rejected,
}

/// <summary>
/// An organisation's registration of its representative (and alternate) in a process, with its documents,
/// as the accreditation committee reviews it.
/// </summary>
public sealed class AgentApplication
{
    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public Guid OrganisationId { get; private init; }
    public string OrganisationName { get; private init; } = "";
    public OrganisationType OrganisationType { get; private init; }
    public Channel Channel { get; private init; }
    public ApplicationStatus Status { get; private set; }
    public string SubmittedBy { get; private init; } = "";
    public DateTimeOffset SubmittedAt { get; private set; }
    public string? Observations { get; private set; }
    public DateOnly? CorrectBy { get; private set; }
    public string? Reasons { get; private set; }
    public List<ParticipatingAgent> Agents { get; private init; } = [];
    public List<Document> Documents { get; private init; } = [];

    public IEnumerable<DocumentKind> MissingDocuments => Document.RequiredForEligibility.Where(k => Documents.All(d => d.Kind != k));

    public static AgentApplication Submit(Process process, Guid organisationId, Organisation? organisation, string? channel, IReadOnlyList<PersonDetails>? persons,
        string submittedBy, DateTimeOffset now)
    {
        process.RequireStep(Contracts.PreparationStep.Registration, "Registration of participating agents", Calendar.Today(now));
        if (organisation is null)
        {
            throw new DomainException("organisationId", $"No organisation {organisationId} is registered; register the organisation first");
        }
        if (organisation.Territory is var t && !Ubigeo.Contains(process.Jurisdiction, t))
        {
            throw new DomainException("organisationId", $"{organisation.Name} is of {t}, outside the process's jurisdiction {process.Jurisdiction}");
        }
        if (!Contracts.Stages.TryParseName<Channel>(channel, out var parsedChannel))
        {
            throw new DomainException("channel", "Online or Desk");
        }
        var limit = process.RulesInForce.AgentsPerOrganisation;
        if (persons is not { Count: > 0 } || persons.Count > limit)
        {
            throw new DomainException("agents", $"One to {limit} persons: the process's rules let an organisation register {limit}");
        }
        var application = new AgentApplication
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = process.Id,
            OrganisationId = organisation.Id,
            OrganisationName = organisation.Name,
            OrganisationType = organisation.Type,
            Channel = parsedChannel,
            Status = ApplicationStatus.Submitted,
            SubmittedBy = submittedBy,
            SubmittedAt = now,
        };
        for (var i = 0; i < persons.Count; i++)
        {
            if (persons[i] is null)
            {
                throw new DomainException($"agents[{i}]", "A person: role, dni, fullName, gender, birthYear");
            }
            application.Agents.Add(ParticipatingAgent.Name(process, application.Id, organisation.Name, persons[i], i, now));
        }
        application.CheckPersons();
        return application;
    }

    private void CheckPersons()
    {
        if (Agents.Count(a => a.Role == AgentRole.Representative) != 1)
        {
            throw new DomainException("agents", "Exactly one Representative; the others are Alternates");
        }
        if (Agents.DistinctBy(a => a.Dni).Count() != Agents.Count)
        {
            throw new DomainException("agents", "The same DNI appears twice");
        }
    }

    public void Attach(Process process, Document document, DateTimeOffset now)
    {
        process.RequireReviewOpen("Uploading documents", Calendar.Today(now));
        RequireOpenForChanges("Documents");
        Documents.Add(document);
    }

    public async Task ConfirmIdentityAsync(Process process, Guid agentId, string? method, string officer, IIdentityCheck check, DateTimeOffset now, CancellationToken ct)
    {
        process.RequireReviewOpen("Identity confirmation", Calendar.Today(now));
        RequireOpenForChanges("Identity confirmation");
        var agent = AgentOf(agentId);
        var confirmation = await check.ConfirmAsync(agent, method, officer, now, ct);
        if (confirmation.Method == IdentityMethod.ScannedCard && Documents.All(d => d.Kind != DocumentKind.DniScan))
        {
            throw new ConflictException("method", "No DNI scan has been uploaded with this application; confirm at the desk, or upload the scan first");
        }
        agent.ConfirmIdentity(confirmation);
    }

    public void Review(Process process, string? decision, string? reasons, DateOnly? correctBy, DateTimeOffset now)
    {
        var today = Calendar.Today(now);
        process.RequireReviewOpen("Review of applications", today);
        if (!Contracts.Stages.TryParseName<ReviewDecision>(decision, out var parsed))
        {
            throw new DomainException("decision", "Eligible, Observed or Rejected");
        }
        if (Status != ApplicationStatus.Submitted)
        {
            throw new ConflictException("applicationId", $"Only a submitted application is reviewed; this one is {Status}");
        }
        switch (parsed)
        {
            case ReviewDecision.Eligible:
                if (Agents.FirstOrDefault(a => !a.IdentityConfirmed) is { } unconfirmed)
                {
                    throw new ConflictException("decision", $"The identity of {unconfirmed.FullName} has not been confirmed against the DNI");
                }
                if (MissingDocuments.Any())
                {
                    throw new ConflictException("decision", $"Documents missing: {string.Join(", ", MissingDocuments)}");
                }
                Status = ApplicationStatus.Eligible;
                Reasons = reasons is null or "" ? null : Guard.Text("reasons", reasons, 2000);
                Agents.ForEach(a => a.Decide(AgentStatus.Eligible));
                break;
            case ReviewDecision.Observed:
                var last = process.Calendar?.Publication.To;
                if (correctBy is not { } by || by < today || (last is not null && by > last))
                {
                    throw new DomainException("correctBy", last is null
                        ? $"The date by which to correct, from {today:yyyy-MM-dd}"
                        : $"The date by which to correct, from {today:yyyy-MM-dd} to {last:yyyy-MM-dd} (the end of publication)");
                }
                Observations = Guard.Text("reasons", reasons, 2000);
                CorrectBy = by;
                Status = ApplicationStatus.Observed;
                break;
            default:
                Reasons = Guard.Text("reasons", reasons, 2000);
                Status = ApplicationStatus.Rejected;
                Agents.ForEach(a => a.Decide(AgentStatus.Rejected));
                break;
        }
    }

    public ParticipatingAgent Correct(Process process, Guid agentId, PersonDetails details, DateTimeOffset now)
    {
        process.RequireReviewOpen("Correcting an application", Calendar.Today(now));
        RequireObservedAndInTime(now);
        var agent = AgentOf(agentId);
        agent.SetDetails(process, details, "agent");
        CheckPersons();
        return agent;
    }

    public void Resubmit(Process process, DateTimeOffset now)
    {
        process.RequireReviewOpen("Resubmitting an application", Calendar.Today(now));
        RequireObservedAndInTime(now);
        Status = ApplicationStatus.Submitted;
        SubmittedAt = now;
    }

    private void RequireObservedAndInTime(DateTimeOffset now)
    {
        if (Status != ApplicationStatus.Observed)
        {
            throw new ConflictException("applicationId", $"Only an observed application is corrected; this one is {Status}");
        }
        if (Calendar.Today(now) > CorrectBy)
        {
            throw new ConflictException("correctBy", $"The corrections were due by {CorrectBy:yyyy-MM-dd}");
        }
    }

    private void RequireOpenForChanges(string what)
    {
        if (Status is not (ApplicationStatus.Submitted or ApplicationStatus.Observed))
        {
            throw new ConflictException("applicationId", $"{what}: the application is already {Status}");
        }
    }

    public ParticipatingAgent AgentOf(Guid agentId) =>
        Agents.FirstOrDefault(a => a.Id == agentId) ?? throw new NotFoundException("Agent of this application", agentId);

    public static AgentApplication Restore(Guid id, Guid processId, Guid organisationId, string organisationName, string organisationType, string channel, string status,
        string submittedBy, DateTimeOffset submittedAt, string? observations, DateOnly? correctBy, string? reasons, List<ParticipatingAgent> agents, List<Document> documents) => new()
    {
        Id = id,
        ProcessId = processId,
        OrganisationId = organisationId,
        OrganisationName = organisationName,
        OrganisationType = Enum.Parse<OrganisationType>(organisationType),
        Channel = Enum.Parse<Channel>(channel),
        Status = Enum.Parse<ApplicationStatus>(status),
        SubmittedBy = submittedBy,
        SubmittedAt = submittedAt,
        Observations = observations,
        CorrectBy = correctBy,
        Reasons = reasons,
        Agents = agents,
        Documents = documents,
    };
}
