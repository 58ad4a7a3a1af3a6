namespace PBServices.BuildingBlocks.Text;

/// <summary>The kinds of document the services accept (PDF, PNG, JPEG), told by their content, never by their name.</summary>
public static class DocumentContent
{
    public static string? TypeOf(ReadOnlySpan<byte> c) =>
        c.StartsWith("%PDF-"u8) ? "application/pdf"
        : c.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : c.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : null;

    /// <summary>The file extension a download names for one of those types.</summary>
    public static string ExtensionOf(string contentType) => contentType switch { "application/pdf" => "pdf", "image/png" => "png", _ => "jpg" };
}
