using System.Net.Mail;
using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Registration.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
public enum AgentStatus
{
    /// <summary>Named in an application the committee has not yet found eligible.</summary>
    Registered,
    /// <summary>On the published list of eligible agents (or about to be).</summary>
    Eligible,
    /// <summary>The application was rejected.</summary>
    Rejected,
    /// <summary>Struck from the eligible list by an upheld objection.</summary>
    Excluded,
    Accredited,
    Revoked,
}

[JsonConverter(typeof(JsonStringEnumConverter<AgentRole>))]
public enum AgentRole
{
    Representative,
    Alternate,
}

/// <summary>As on the DNI card, which records F or M.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Gender>))]
public enum Gender
{
    Female,
    Male,
}

[JsonConverter(typeof(JsonStringEnumConverter<IdentityMethod>))]
public enum IdentityMethod
{
    /// <summary>The officer saw the DNI card at the registration desk.</summary>
    DeskCard,
    /// <summary>The officer compared the scanned DNI card uploaded online.</summary>
    ScannedCard,
}

/// <summary>A person as an application names them: what the organisation declares, before anyone checks it.</summary>
public sealed record PersonDetails(string? Role, string? Dni, string? FullName, string? Gender, int BirthYear, string? Phone, string? Email);

/// <summary>A person registered by a civil-society organisation to take part in a process.</summary>
public sealed class ParticipatingAgent
{
    /// <summary>Agents are adults: Peru's civil majority is 18.</summary>
    public const int MinimumAge = 18;

    public Guid Id { get; private init; }
    public Guid ProcessId { get; private init; }
    public Guid? ApplicationId { get; private init; }
    public AgentRole Role { get; private set; }
    public string FullName { get; private set; } = "";
    public string Dni { get; private set; } = "";
    public string Organisation { get; private init; } = "";
    public Gender? Gender { get; private set; }
    public int? BirthYear { get; private set; }
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    public AgentStatus Status { get; private set; }
    public string? IdentityConfirmedBy { get; private set; }
    public DateTimeOffset? IdentityConfirmedAt { get; private set; }
    public IdentityMethod? IdentityMethod { get; private set; }

    public bool IdentityConfirmed => IdentityConfirmedAt is not null;

    internal static ParticipatingAgent Name(Process process, Guid applicationId, string organisation, PersonDetails details, int index, DateTimeOffset now)
    {
        var agent = new ParticipatingAgent
        {
            Id = Guid.CreateVersion7(now),
            ProcessId = process.Id,
            ApplicationId = applicationId,
            Organisation = organisation,
            Status = AgentStatus.Registered,
        };
        agent.SetDetails(process, details, $"agents[{index}]");
        return agent;
    }

    internal void SetDetails(Process process, PersonDetails details, string field)
    {
        if (!Contracts.Stages.TryParseName<AgentRole>(details.Role, out var role))
        {
            throw new DomainException($"{field}.role", "Representative or Alternate");
        }
        // The DNI (Documento Nacional de Identidad) is eight digits.
        if (details.Dni is not { Length: 8 } dni || !dni.All(char.IsAsciiDigit))
        {
            throw new DomainException($"{field}.dni", "The DNI must be exactly eight digits");
        }
        var name = Guard.Text($"{field}.fullName", details.FullName, 200);
        if (!Contracts.Stages.TryParseName<Gender>(details.Gender, out var gender))
        {
            throw new DomainException($"{field}.gender", "Female or Male, as on the DNI card");
        }
        if (details.BirthYear < process.FiscalYear - 110 || details.BirthYear > process.FiscalYear - 1 - MinimumAge)
        {
            throw new DomainException($"{field}.birthYear", $"A year from {process.FiscalYear - 110} to {process.FiscalYear - 1 - MinimumAge}: agents are adults");
        }
        var phone = details.Phone is null or "" ? null : details.Phone.Trim();
        if (phone is not null && (phone.Length is < 6 or > 15 || !phone.TrimStart('+').All(char.IsAsciiDigit)))
        {
            throw new DomainException($"{field}.phone", "Digits only, 6 to 15, optionally after +");
        }
        var email = details.Email is null or "" ? null : details.Email.Trim();
        if (email is not null && (email.Length > 200 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email))
        {
            throw new DomainException($"{field}.email", "An e-mail address");
        }
        if (Dni != dni || FullName != name)
        {
            // Whoever confirmed the identity confirmed another document or name.
            IdentityConfirmedAt = null;
            IdentityConfirmedBy = null;
            IdentityMethod = null;
        }
        Role = role;
        Dni = dni;
        FullName = name;
        Gender = gender;
        BirthYear = details.BirthYear;
        Phone = phone;
        Email = email;
    }

    internal void ConfirmIdentity(IdentityConfirmation confirmation)
    {
        IdentityConfirmedBy = confirmation.ConfirmedBy;
        IdentityConfirmedAt = confirmation.At;
        IdentityMethod = confirmation.Method;
    }

    internal void Decide(AgentStatus status) => Status = status;

    /// <summary>An upheld objection strikes the entry from the list.</summary>
    internal void Exclude()
    {
        Require(AgentStatus.Eligible, "excluded");
        Status = AgentStatus.Excluded;
    }

    /// <summary>
    /// Only an entry of the published list that no upheld objection struck is accredited. The event carries the
    /// quota groups the agent counts for and the organisation's territory, which coordination's election of the
    /// oversight committee needs.
    /// </summary>
    public AgentAccredited Accredit(Process process, OrganisationType organisationType, string? territory)
    {
        Require(AgentStatus.Eligible, "accredited");
        Status = AgentStatus.Accredited;
        return new AgentAccredited
        {
            ProcessId = ProcessId, Jurisdiction = process.Jurisdiction, AgentId = Id, FullName = FullName, Organisation = Organisation,
            Groups = Enum.GetValues<Contracts.QuotaGroup>().Where(g => BelongsTo(g, process.FiscalYear, organisationType)).ToList(),
            Territory = territory,
        };
    }

    /// <summary>A revoked agent can no longer propose or vote; the reason is public with the revocation.</summary>
    public AgentAccreditationRevoked Revoke(Process process, string? reason)
    {
        var why = Guard.Text("reason", reason, 2000);
        Require(AgentStatus.Accredited, "revoked");
        Status = AgentStatus.Revoked;
        return new AgentAccreditationRevoked { ProcessId = ProcessId, Jurisdiction = process.Jurisdiction, AgentId = Id, Reason = why };
    }

    private void Require(AgentStatus status, string verb)
    {
        if (Status != status)
        {
            throw new ConflictException("agentId", $"Only an agent who is {status} can be {verb}; this one is {Status}");
        }
    }

    /// <summary>Whether the agent counts for a quota's group, as of the process's fiscal year.</summary>
    public bool BelongsTo(Contracts.QuotaGroup group, int fiscalYear, OrganisationType organisationType) => group switch
    {
        Contracts.QuotaGroup.Women => Gender == Domain.Gender.Female,
        Contracts.QuotaGroup.Youth => BirthYear is { } year && fiscalYear - year <= 29,
        Contracts.QuotaGroup.Indigenous => organisationType == OrganisationType.IndigenousOrPeasantCommunity,
        _ => false,
    };

    public static ParticipatingAgent Restore(Guid id, Guid processId, Guid? applicationId, string? role, string fullName, string dni, string organisation,
        string? gender, int? birthYear, string? phone, string? email, string status, string? identityConfirmedBy, DateTimeOffset? identityConfirmedAt, string? identityMethod) => new()
    {
        Id = id,
        ProcessId = processId,
        ApplicationId = applicationId,
        Role = role is null ? AgentRole.Representative : Enum.Parse<AgentRole>(role),
        FullName = fullName,
        Dni = dni,
        Organisation = organisation,
        Gender = gender is null ? null : Enum.Parse<Gender>(gender),
        BirthYear = birthYear,
        Phone = phone,
        Email = email,
        Status = Enum.Parse<AgentStatus>(status),
        IdentityConfirmedBy = identityConfirmedBy,
        IdentityConfirmedAt = identityConfirmedAt,
        IdentityMethod = identityMethod is null ? null : Enum.Parse<IdentityMethod>(identityMethod),
    };
}
