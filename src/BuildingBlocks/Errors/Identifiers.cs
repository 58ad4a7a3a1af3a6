namespace PBServices.BuildingBlocks.Errors;

public static class Identifiers
{
    /// <summary>Parses an identifier from a gRPC request (strings on the wire); a bad one is the caller's error, named by field.</summary>
    public static Guid Parse(string? value, string field) =>
        Guid.TryParse(value, out var id)
            ? id
            : throw new DomainException(field, $"'{(value is { Length: > 40 } ? value[..40] + "…" : value)}' is not an identifier");
}
