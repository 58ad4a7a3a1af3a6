using System.Security.Cryptography;
using System.Text.Json.Serialization;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.Registration.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<DocumentKind>))]
public enum DocumentKind
{
    /// <summary>The registration form, signed.</summary>
    RegistrationForm,
    /// <summary>The organisation's entry in the public or municipal registry.</summary>
    RegistryEntry,
    /// <summary>The act of the assembly that named the representative and the alternate.</summary>
    AssemblyAct,
    /// <summary>A scan of a person's DNI card, for an online identity check.</summary>
    DniScan,
    /// <summary>Evidence attached to an objection.</summary>
    Evidence,
}

/// <summary>An uploaded document: its type is what its content is, never what its name says.</summary>
public sealed record Document(Guid Id, DocumentKind Kind, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt)
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public static readonly IReadOnlyList<DocumentKind> RequiredForEligibility = [DocumentKind.RegistrationForm, DocumentKind.RegistryEntry, DocumentKind.AssemblyAct];

    public static (Document Document, byte[] Content) Accept(string? kind, byte[] content, DateTimeOffset now, bool evidence = false)
    {
        if (!Contracts.Stages.TryParseName<DocumentKind>(kind, out var parsed) || (parsed == DocumentKind.Evidence) != evidence)
        {
            throw new DomainException("kind", evidence ? "Evidence" : "RegistrationForm, RegistryEntry, AssemblyAct or DniScan");
        }
        if (content.Length == 0)
        {
            throw new DomainException("file", "The file is empty");
        }
        if (content.Length > MaxBytes)
        {
            throw new DomainException("file", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"At most 10 MB (10,485,760 bytes); this file has {content.Length:N0} bytes"));
        }
        var type = BuildingBlocks.Text.DocumentContent.TypeOf(content) ?? throw new DomainException("file", "Only PDF, JPEG or PNG documents, recognised by their content");
        return (new Document(Guid.CreateVersion7(now), parsed, type, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), now), content);
    }
}
