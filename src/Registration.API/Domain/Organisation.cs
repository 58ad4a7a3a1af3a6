using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Registration.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<OrganisationType>))]
public enum OrganisationType
{
    NeighbourhoodCommittee,
    WomensOrganisation,
    YouthOrganisation,
    IndigenousOrPeasantCommunity,
    VasoDeLecheOrComedor,
    Ngo,
    ProfessionalOrBusinessAssociation,
    Other,
}

/// <summary>Where an organisation is registered: SUNARP's public registry, or the municipality's own registry of organisations.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RegistryKind>))]
public enum RegistryKind
{
    Public,
    Municipal,
}

public sealed record RegistryEntry(RegistryKind Kind, string Number, DateOnly Date);

/// <summary>A civil-society organisation of a territory, which registers its representatives in a process.</summary>
public sealed class Organisation
{
    public Guid Id { get; private init; }
    public string Name { get; private init; } = "";
    public OrganisationType Type { get; private init; }
    public RegistryEntry Registry { get; private init; } = null!;
    public string Territory { get; private init; } = "";
    public int ActiveMembers { get; private init; }
    public string RegisteredBy { get; private init; } = "";

    public static Organisation Register(string actsFor, string registeredBy, string? name, string? type, string? registryKind, string? registryNumber,
        DateOnly? registryDate, string? territory, int activeMembers, DateOnly today)
    {
        var trimmed = Guard.Text("name", name, 200);
        if (!Stages.TryParseName<OrganisationType>(type, out var parsedType))
        {
            throw new DomainException("type", $"One of {string.Join(", ", Enum.GetNames<OrganisationType>())}");
        }
        if (!Stages.TryParseName<RegistryKind>(registryKind, out var kind))
        {
            throw new DomainException("registry.kind", "Public (the public registry, SUNARP) or Municipal (the municipality's registry of organisations)");
        }
        var number = Guard.Text("registry.number", registryNumber, 40);
        if (registryDate is not { } date || date == default || date > today)
        {
            throw new DomainException("registry.date", "The date of the registry entry, not in the future");
        }
        var place = Ubigeo.Parse("territory", territory);
        if (actsFor != "PE" && !Ubigeo.Contains(actsFor, place))
        {
            throw new DomainException("territory", $"{place} is not within the jurisdiction {actsFor} the token acts for");
        }
        if (activeMembers is < 1 or > 1_000_000)
        {
            throw new DomainException("activeMembers", "The count of active members, 1 to 1,000,000");
        }
        return new Organisation
        {
            Id = Guid.CreateVersion7(),
            Name = trimmed,
            Type = parsedType,
            Registry = new RegistryEntry(kind, number, date),
            Territory = place,
            ActiveMembers = activeMembers,
            RegisteredBy = registeredBy,
        };
    }

    public static Organisation Restore(Guid id, string name, string type, string registryKind, string registryNumber, DateOnly registryDate, string territory, int activeMembers, string registeredBy) => new()
    {
        Id = id,
        Name = name,
        Type = Enum.Parse<OrganisationType>(type),
        Registry = new RegistryEntry(Enum.Parse<RegistryKind>(registryKind), registryNumber, registryDate),
        Territory = territory,
        ActiveMembers = activeMembers,
        RegisteredBy = registeredBy,
    };
}
