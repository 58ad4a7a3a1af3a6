using System.Security.Cryptography;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Contracts.Submissions;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.UnitTests.MinistrySubmission;

public sealed class SubmissionSigningTests
{
    private static string NewPkcs8()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    private static Submission Pending()
    {
        var list = new ListFormalized
        {
            Jurisdiction = "150122", ProcessId = Guid.CreateVersion7(), ListId = Guid.CreateVersion7(), Level = GovernmentLevel.District, FiscalYear = 2026,
            BudgetCeiling = 500_000m, ActaReference = "Acta N° 3", ApprovedAt = DateTimeOffset.UtcNow,
            Projects = [new(Guid.CreateVersion7(), "Pistas", 100_000m, 70m, 1)],
        };
        list = list with { Dossier = [new(list.Projects[0].ProposalId, "OE1", 100_000m, new ProjectAssessment(AssessmentRecommendation.Viable, null, 1), [])] };
        var package = SubmissionPackage.Build(Guid.CreateVersion7(), list, [new(Stage.Formalization, DateTimeOffset.UtcNow)]);
        return Submission.Restore(package.SubmissionId, list.ProcessId, list.Jurisdiction, package.CanonicalContent, package.ContentHash, 0, null, null);
    }

    private static bool Verifies(string publicKey, string contentHash, string signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
        return key.VerifyHash(Convert.FromHexString(contentHash), Convert.FromBase64String(signature), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    [Fact]
    public void A_package_is_signed_when_sent_over_its_hash_and_names_the_key_by_the_SHA_256_of_its_public_key()
    {
        using var key = SubmissionSigningKey.FromPkcs8(NewPkcs8());
        var submission = Pending();
        Assert.Null(submission.Signature);

        submission.SignWith(key);

        Assert.True(Verifies(submission.PublicKey!, submission.ContentHash, submission.Signature!));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(key.PublicKey))), submission.KeyId);
    }

    [Fact]
    public void A_package_pending_when_the_key_is_rotated_is_sent_signed_with_the_new_key()
    {
        using var old = SubmissionSigningKey.FromPkcs8(NewPkcs8());
        using var rotated = SubmissionSigningKey.FromPkcs8(NewPkcs8());
        var submission = Pending();
        submission.SignWith(old);
        submission.RetryLater("intake unavailable", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

        submission.SignWith(rotated);

        Assert.Equal(rotated.KeyId, submission.KeyId);
        Assert.True(Verifies(rotated.PublicKey, submission.ContentHash, submission.Signature!));
        Assert.False(Verifies(old.PublicKey, submission.ContentHash, submission.Signature!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_configured_key_the_service_does_not_start_and_says_which_setting_is_missing(string? configured)
    {
        var e = Assert.Throws<InvalidOperationException>(() => SubmissionSigningKey.FromPkcs8(configured));

        Assert.StartsWith("Submission:SigningKeyPkcs8 is not set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_key_that_is_not_a_P_256_PKCS_8_key_is_refused_with_the_reason()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Contains("not an ECDSA P-256 private key", Assert.Throws<InvalidOperationException>(() => SubmissionSigningKey.FromPkcs8("not base64!")).Message,
            StringComparison.Ordinal);
        Assert.Contains("not P-256", Assert.Throws<InvalidOperationException>(() =>
            SubmissionSigningKey.FromPkcs8(Convert.ToBase64String(p384.ExportPkcs8PrivateKey()))).Message, StringComparison.Ordinal);
    }
}
