using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.MinistrySubmission.Domain;

namespace PBServices.UnitTests.MinistrySubmission;

public sealed class SubmissionPackageTests : IDisposable
{
    private static readonly Guid SubmissionId = Guid.Parse("0197a1b2-0000-7000-8000-000000000001");

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    private static ListFormalized List(params ListedProject[] projects) => new()
    {
        Jurisdiction = "150122",
        ProcessId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000aa"),
        ListId = Guid.Parse("0197a1b2-0000-7000-8000-0000000000bb"),
        Level = GovernmentLevel.District,
        FiscalYear = 2026,
        BudgetCeiling = 1_000_000m,
        ActaReference = "Acta N° 012-2025-MDM",
        ApprovedAt = new DateTimeOffset(2025, 7, 15, 13, 30, 0, TimeSpan.FromHours(-5)),
        Projects = projects,
    };

    private static readonly ListedProject School = new(Guid.Parse("0197a1b2-0000-7000-8000-000000000101"), "Aulas I.E. 3045", 600_000m, 80m, 1);
    private static readonly ListedProject Water = new(Guid.Parse("0197a1b2-0000-7000-8000-000000000102"), "Agua potable", 300_000.5m, 80m, 2);
    private static readonly ListedProject Lights = new(Guid.Parse("0197a1b2-0000-7000-8000-000000000103"), "Alumbrado", 99_999m, 80m, 3);

    private SubmissionPackage Build() => SubmissionPackage.Build(SubmissionId, List(School, Water, Lights), _key);

    private static string? Verify(SubmissionPackage p) => SubmissionVerification.Problem(p.CanonicalContent, p.ContentHash, p.Signature, p.PublicKey);

    [Fact]
    public void The_same_list_always_gives_the_same_bytes()
    {
        var first = SubmissionPackage.Canonicalize(SubmissionId, List(School, Water, Lights));
        var again = SubmissionPackage.Canonicalize(SubmissionId, List(School, Water, Lights));
        var shuffled = SubmissionPackage.Canonicalize(SubmissionId, List(Lights, School, Water));

        Assert.Equal(Encoding.UTF8.GetBytes(first), Encoding.UTF8.GetBytes(again));
        Assert.Equal(first, shuffled);
    }

    [Fact]
    public void Projects_appear_in_rank_order_with_amounts_in_two_decimals_and_time_in_utc()
    {
        using var document = JsonDocument.Parse(SubmissionPackage.Canonicalize(SubmissionId, List(Lights, Water, School)));
        var root = document.RootElement;

        var projects = root.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], projects.Select(p => p.GetProperty("rank").GetInt32()));
        Assert.Equal(["600000.00", "300000.50", "99999.00"], projects.Select(p => p.GetProperty("cost").GetString()));
        Assert.Equal("999999.50", root.GetProperty("totalCost").GetString());
        Assert.Equal("2025-07-15T18:30:00.000Z", root.GetProperty("approvedAt").GetString());
        Assert.Equal(SubmissionPackage.Format, root.GetProperty("format").GetString());
    }

    [Fact]
    public void The_package_totals_its_projects()
    {
        Assert.Equal(999_999.50m, Build().TotalCost);
    }

    [Fact]
    public void An_untouched_submission_verifies()
    {
        Assert.Null(Verify(Build()));
    }

    [Fact]
    public void Tampered_submission_content_fails_verification()
    {
        var package = Build();
        var tampered = package with { CanonicalContent = package.CanonicalContent.Replace("600000.00", "700000.00", StringComparison.Ordinal) };
        Assert.NotEqual(package.CanonicalContent, tampered.CanonicalContent);

        Assert.NotNull(Verify(tampered));
    }

    [Fact]
    public void Altering_one_character_of_the_content_fails_verification()
    {
        var package = Build();
        var chars = package.CanonicalContent.ToCharArray();
        var at = package.CanonicalContent.IndexOf("Alumbrado", StringComparison.Ordinal);
        chars[at] = 'a';

        Assert.NotNull(Verify(package with { CanonicalContent = new string(chars) }));
    }

    [Fact]
    public void Tampered_content_with_a_recomputed_hash_fails_the_signature_check()
    {
        var package = Build();
        var content = package.CanonicalContent.Replace("Alumbrado", "Alumbrada", StringComparison.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

        var problem = Verify(package with { CanonicalContent = content, ContentHash = hash });

        Assert.Equal("signature does not verify against public_key", problem);
    }

    [Fact]
    public void A_tampered_hash_fails_verification()
    {
        var package = Build();
        var hash = package.ContentHash.ToCharArray();
        hash[0] = hash[0] == '0' ? '1' : '0';

        Assert.Equal("content_hash is not the SHA-256 of canonical_content", Verify(package with { ContentHash = new string(hash) }));
    }

    [Fact]
    public void A_package_signed_by_another_key_fails_verification()
    {
        var package = Build();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = SubmissionPackage.Build(SubmissionId, List(School, Water, Lights), other);

        Assert.Equal(package.ContentHash, forged.ContentHash);
        Assert.NotNull(Verify(package with { PublicKey = forged.PublicKey }));
        Assert.NotNull(Verify(forged with { PublicKey = package.PublicKey }));
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("publicKey")]
    public void Malformed_base64_fails_verification_without_throwing(string field)
    {
        var package = Build();
        var malformed = field == "signature" ? package with { Signature = "not base64!" } : package with { PublicKey = "%%%" };

        Assert.StartsWith("public_key or signature is malformed", Verify(malformed));
    }

    [Fact]
    public void A_truncated_signature_fails_verification()
    {
        var package = Build();
        var truncated = Convert.ToBase64String(Convert.FromBase64String(package.Signature)[..32]);

        Assert.NotNull(Verify(package with { Signature = truncated }));
    }
}
