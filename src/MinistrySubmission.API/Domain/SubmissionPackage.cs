using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;

namespace PBServices.MinistrySubmission.Domain;

/// <summary>
/// The document a deployment sends to the Ministry (<see cref="SubmissionDocument"/>, canonical JSON) and its SHA-256.
/// It is signed only when delivered, with the key configured then, so a key rotated in between never strands a package.
/// </summary>
public sealed record SubmissionPackage(Guid SubmissionId, SubmissionDocument Document, string CanonicalContent, string ContentHash)
{
    public decimal TotalCost => Document.TotalCost;

    /// <summary>
    /// The formalized list with its dossier and the stages the process entered so far. A list without a dossier was published
    /// before submissions carried one: the Ministry's format requires it, so it cannot become a package. The oversight report
    /// (<see cref="OversightReport.For"/>) goes as given; none leaves the document as it was before reports existed.
    /// </summary>
    public static SubmissionPackage Build(Guid submissionId, ListFormalized list, IReadOnlyList<StageReached> stages,
        IReadOnlyList<ReportedFinding>? oversightReport = null)
    {
        var dossier = list.Dossier ?? throw new InvalidOperationException(
            $"ListFormalized {list.EventId} of process {list.ProcessId} carries no dossier: it was published before submissions carried one");
        var byProposal = dossier.ToDictionary(d => d.ProposalId);
        var projects = list.Projects.Select(p => byProposal.TryGetValue(p.ProposalId, out var d)
            ? new SubmittedProjectEntry(p.Rank, p.ProposalId, p.Title, p.Cost, p.Score, d.PlanObjective, d.OwnShare, d.Assessment, d.Cofinancing)
            : throw new InvalidOperationException($"The dossier of process {list.ProcessId} has no entry for project {p.ProposalId}")).ToList();
        var signatures = list.Signatures ?? new ActaSignatures(0, 0, []);
        var document = new SubmissionDocument(submissionId, list.ProcessId, list.ListId, list.Jurisdiction, list.Level, list.FiscalYear, list.BudgetCeiling,
            list.ApprovedAt, new SubmittedActa(list.ActaReference, list.ActaContentHash, signatures.Authorities, signatures.Agents, signatures.Approvals),
            stages, projects, oversightReport is { Count: > 0 } ? oversightReport : null);
        var content = document.Canonicalize();
        return new SubmissionPackage(submissionId, document, content, HashOf(content));
    }

    public static string HashOf(string canonicalContent) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalContent)));

    /// <summary>The projects as the stored document states them, read back so that what is shown is what was sent.</summary>
    public static IReadOnlyList<ListedProject> ProjectsOf(string canonicalContent)
    {
        using var doc = JsonDocument.Parse(canonicalContent);
        return doc.RootElement.GetProperty("projects").EnumerateArray().Select(p => new ListedProject(
            p.GetProperty("proposalId").GetGuid(),
            p.GetProperty("title").GetString()!,
            decimal.Parse(p.GetProperty("cost").GetString()!, CultureInfo.InvariantCulture),
            decimal.Parse(p.GetProperty("score").GetString()!, CultureInfo.InvariantCulture),
            p.GetProperty("rank").GetInt32())).ToList();
    }

    /// <summary>How many findings the stored document's oversight report states.</summary>
    public static int ReportedFindingsOf(string canonicalContent)
    {
        using var doc = JsonDocument.Parse(canonicalContent);
        return doc.RootElement.TryGetProperty("oversightReport", out var report) ? report.GetProperty("findings").GetArrayLength() : 0;
    }
}

/// <summary>The deployment's signing key for submissions, and the id the Ministry enrolled it under.</summary>
public sealed class SubmissionSigningKey : IDisposable
{
    public const string ConfigurationKey = "Submission:SigningKeyPkcs8";

    private readonly ECDsa _key;

    private SubmissionSigningKey(ECDsa key)
    {
        _key = key;
        var spki = key.ExportSubjectPublicKeyInfo();
        PublicKey = Convert.ToBase64String(spki);
        KeyId = Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    /// <summary>The SubjectPublicKeyInfo, base64.</summary>
    public string PublicKey { get; }

    /// <summary>SHA-256 (hex) of the SubjectPublicKeyInfo: the key_id the intake knows the enrolled key by.</summary>
    public string KeyId { get; }

    /// <summary>An ECDSA P-256 private key in PKCS#8, base64; anything else is refused with what is wrong.</summary>
    public static SubmissionSigningKey FromPkcs8(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} is not set: the submission signing key (ECDSA P-256, PKCS#8, base64) comes from configuration only, never from the database");
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(base64.Trim()), out _);
            if (key.KeySize != 256)
            {
                throw new CryptographicException($"the key is {key.KeySize} bits, not P-256");
            }
            return new SubmissionSigningKey(key);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"{ConfigurationKey} is not an ECDSA P-256 private key in PKCS#8, base64: {e.Message}", e);
        }
    }

    /// <summary>ECDSA over the SHA-256 the document is known by, IEEE P1363, base64.</summary>
    public string Sign(string contentHash) =>
        Convert.ToBase64String(_key.SignHash(Convert.FromHexString(contentHash), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public void Dispose() => _key.Dispose();
}
