using System.Security.Cryptography;
using PBServices.BuildingBlocks.Errors;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class DocumentTests
{
    private static readonly byte[] PdfBytes = "%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"u8.ToArray();
    private static readonly byte[] PngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];
    private static readonly byte[] JpegBytes = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00];

    public static TheoryData<byte[], string> Recognised => new()
    {
        { PdfBytes, "application/pdf" },
        { PngBytes, "image/png" },
        { JpegBytes, "image/jpeg" },
    };

    [Theory]
    [MemberData(nameof(Recognised))]
    public void A_PDF_PNG_or_JPEG_is_recognised_by_its_content(byte[] content, string contentType)
    {
        var (document, kept) = Document.Accept("AssemblyAct", content, InRegistration);

        Assert.Equal(contentType, document.ContentType);
        Assert.Equal(DocumentKind.AssemblyAct, document.Kind);
        Assert.Equal(content.Length, document.Size);
        Assert.Equal(InRegistration, document.UploadedAt);
        Assert.Equal(content, kept);
    }

    [Fact]
    public void The_SHA_256_of_the_content_is_recorded()
    {
        var document = Document.Accept("RegistrationForm", PdfBytes, InRegistration).Document;

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(PdfBytes)), document.Sha256);
        Assert.Equal(64, document.Sha256.Length);
    }

    [Fact]
    public void The_same_content_has_the_same_hash_and_other_content_another()
    {
        var first = Document.Accept("RegistrationForm", PdfBytes, InRegistration).Document;
        var again = Document.Accept("RegistryEntry", PdfBytes, InPublication).Document;
        var other = Document.Accept("RegistrationForm", [.. PdfBytes, (byte)'\n'], InRegistration).Document;

        Assert.Equal(first.Sha256, again.Sha256);
        Assert.NotEqual(first.Sha256, other.Sha256);
    }

    [Theory]
    [InlineData("Rosa Quispe, acta de asamblea")]
    [InlineData("PDF-1.4 without its percent sign")]
    [InlineData(" %PDF-1.4 after a space")]
    public void A_text_file_is_refused_whatever_it_says(string text)
    {
        var e = Assert.Throws<DomainException>(() => Document.Accept("AssemblyAct", System.Text.Encoding.UTF8.GetBytes(text), InRegistration));

        Assert.Equal("file", e.Field);
        Assert.Equal("Only PDF, JPEG or PNG documents, recognised by their content", e.Message);
    }

    [Fact]
    public void A_GIF_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Document.Accept("DniScan", "GIF89a\u0001\u0000"u8.ToArray(), InRegistration));

        Assert.Equal("file", e.Field);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var e = Assert.Throws<DomainException>(() => Document.Accept("AssemblyAct", [], InRegistration));

        Assert.Equal("file", e.Field);
        Assert.Equal("The file is empty", e.Message);
    }

    [Fact]
    public void A_file_of_exactly_10_MB_is_accepted_and_one_byte_more_is_refused()
    {
        var limit = new byte[Document.MaxBytes];
        "%PDF-1.7"u8.CopyTo(limit);
        byte[] over = [.. limit, 0];

        Assert.Equal(10 * 1024 * 1024, Document.Accept("AssemblyAct", limit, InRegistration).Document.Size);
        var e = Assert.Throws<DomainException>(() => Document.Accept("AssemblyAct", over, InRegistration));

        Assert.Equal("file", e.Field);
        Assert.Equal("At most 10 MB (10,485,760 bytes); this file has 10,485,761 bytes", e.Message);
    }

    [Fact]
    public void The_size_of_a_refused_file_is_named_in_bytes()
    {
        var twelve = new byte[12 * 1024 * 1024 + 300_000];
        "%PDF-1.7"u8.CopyTo(twelve);

        var e = Assert.Throws<DomainException>(() => Document.Accept("AssemblyAct", twelve, InRegistration));

        Assert.Contains("this file has 12,882,912 bytes", e.Message);
    }

    [Theory]
    [InlineData("assemblyact", DocumentKind.AssemblyAct)]
    [InlineData("DniScan", DocumentKind.DniScan)]
    [InlineData("REGISTRYENTRY", DocumentKind.RegistryEntry)]
    public void The_kind_is_read_by_name_ignoring_case(string kind, DocumentKind expected)
    {
        Assert.Equal(expected, Document.Accept(kind, PdfBytes, InRegistration).Document.Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Photo")]
    [InlineData("1")]
    public void An_unknown_kind_is_refused(string? kind)
    {
        var e = Assert.Throws<DomainException>(() => Document.Accept(kind, PdfBytes, InRegistration));

        Assert.Equal("kind", e.Field);
        Assert.Equal("RegistrationForm, RegistryEntry, AssemblyAct or DniScan", e.Message);
    }

    [Fact]
    public void Evidence_is_a_kind_only_objections_attach()
    {
        var withApplication = Assert.Throws<DomainException>(() => Document.Accept("Evidence", PdfBytes, InRegistration));
        var notEvidence = Assert.Throws<DomainException>(() => Document.Accept("AssemblyAct", PdfBytes, InObjections, evidence: true));
        var evidence = Document.Accept("Evidence", JpegBytes, InObjections, evidence: true).Document;

        Assert.Equal("kind", withApplication.Field);
        Assert.Equal("kind", notEvidence.Field);
        Assert.Equal("Evidence", notEvidence.Message);
        Assert.Equal(DocumentKind.Evidence, evidence.Kind);
        Assert.Equal("image/jpeg", evidence.ContentType);
    }
}
