namespace PBServices.BuildingBlocks.Errors;

/// <summary>The input checks every domain type shares, so what the database would refuse is refused first, by field.</summary>
public static class Guard
{
    /// <summary>The largest amount a numeric(16,2) column holds.</summary>
    public const decimal MaxSoles = 99_999_999_999_999.99m;

    /// <summary>Required text, trimmed; no control characters (PostgreSQL refuses NUL; the rest are never meant).</summary>
    public static string Text(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            throw new DomainException(field, $"Required, 1 to {maxLength} characters");
        }
        if (HasControlCharacters(value))
        {
            throw new DomainException(field, "Contains control characters");
        }
        return value.Trim();
    }

    /// <summary>Control characters other than line breaks and tabs: never meant in any text, and PostgreSQL refuses NUL.</summary>
    public static bool HasControlCharacters(string value) => value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    /// <summary>A positive amount of soles with at most two decimals (céntimos), within what is stored.</summary>
    public static decimal Soles(string field, decimal amount)
    {
        if (amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            throw new DomainException(field, "A positive amount of soles with at most two decimals (céntimos)");
        }
        if (amount > MaxSoles)
        {
            throw new DomainException(field, $"At most S/ {MaxSoles:N2}");
        }
        return amount;
    }

    /// <summary>A jurisdiction is a six-digit ubigeo (INEI code of a district, province or region) or PE for the nation.</summary>
    public static string Jurisdiction(string field, string? value) =>
        value is "PE" || value is { Length: 6 } && value.All(char.IsAsciiDigit)
            ? value
            : throw new DomainException(field, "A six-digit ubigeo code, or PE for national actors");
}
