using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.MinistrySubmission.Domain;

/// <summary>
/// The document a deployment sends to the Ministry: canonical JSON (fixed key order, amounts with two
/// decimals, UTC times), its SHA-256, and an ECDSA P-256 signature over that hash. Anyone holding the
/// document and the public key can check that it is the one the jurisdiction formalized.
/// </summary>
public sealed record SubmissionPackage(Guid SubmissionId, string CanonicalContent, string ContentHash, string Signature, string PublicKey, decimal TotalCost)
{
    // v2: projects carry their score, and every project has the one ListedProject shape of the APIs.
    public const string Format = "pb-services/submission/v2";

    public static SubmissionPackage Build(Guid submissionId, ListFormalized list, ECDsa key)
    {
        var content = Canonicalize(submissionId, list);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(content));
        var signature = key.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SubmissionPackage(submissionId, content, Convert.ToHexStringLower(hash), Convert.ToBase64String(signature),
            Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), list.Projects.Sum(p => p.Cost));
    }

    public static string Canonicalize(Guid submissionId, ListFormalized list)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            // Keys in ordinal order at every level, so the same list always gives the same bytes.
            w.WriteStartObject();
            w.WriteString("actaReference", list.ActaReference);
            w.WriteString("approvedAt", list.ApprovedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            w.WriteString("budgetCeiling", Amount(list.BudgetCeiling));
            w.WriteNumber("fiscalYear", list.FiscalYear);
            w.WriteString("format", Format);
            w.WriteString("jurisdiction", list.Jurisdiction);
            w.WriteString("level", list.Level.ToString());
            w.WriteString("listId", list.ListId.ToString());
            w.WriteString("processId", list.ProcessId.ToString());
            w.WriteStartArray("projects");
            foreach (var p in list.Projects.OrderBy(p => p.Rank))
            {
                w.WriteStartObject();
                w.WriteString("cost", Amount(p.Cost));
                w.WriteString("proposalId", p.ProposalId.ToString());
                w.WriteNumber("rank", p.Rank);
                w.WriteString("score", Amount(p.Score));
                w.WriteString("title", p.Title);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("submissionId", submissionId.ToString());
            w.WriteString("totalCost", Amount(list.Projects.Sum(p => p.Cost)));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The projects as the signed document states them, read back so that what is shown is what was sent.</summary>
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

    private static string Amount(decimal soles) => soles.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>The Ministry's check of a received package: the hash is of the content and the signature is over the hash.</summary>
public static class SubmissionVerification
{
    public static string? Problem(string canonicalContent, string contentHash, string signature, string publicKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonicalContent));
        if (!string.Equals(Convert.ToHexStringLower(hash), contentHash, StringComparison.OrdinalIgnoreCase))
        {
            return "content_hash is not the SHA-256 of canonical_content";
        }
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            return key.VerifyHash(hash, Convert.FromBase64String(signature), DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? null
                : "signature does not verify against public_key";
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return $"public_key or signature is malformed: {e.Message}";
        }
    }
}
