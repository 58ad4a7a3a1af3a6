using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Registration.Domain;

/// <summary>
/// INEI's ubigeo: two digits of department (a region's government), two of province, two of district.
/// 040000 is the region of Arequipa, 040100 its province Arequipa, 040101 the district of Arequipa.
/// </summary>
public static class Ubigeo
{
    /// <summary>Peru's 24 departments and Callao are numbered 01 to 25.</summary>
    private const int Departments = 25;

    public static string Parse(string field, string? value)
    {
        if (value is not { Length: 6 } || !value.All(char.IsAsciiDigit))
        {
            throw new DomainException(field, "A six-digit ubigeo: department, province and district, two digits each");
        }
        var department = int.Parse(value[..2]);
        if (department is < 1 or > Departments)
        {
            throw new DomainException(field, $"The department (first two digits) must be 01 to {Departments}");
        }
        if (value[2..4] == "00" && value[4..] != "00")
        {
            throw new DomainException(field, "A district's ubigeo needs its province (digits 3 and 4 are not 00)");
        }
        return value;
    }

    public static GovernmentLevel LevelOf(string code) => Jurisdictions.LevelOf(code);

    public static string? ParentOf(string code) => Jurisdictions.ParentOf(code);

    /// <summary>The code itself and the jurisdictions above it, the region first.</summary>
    public static IReadOnlyList<string> Lineage(string code)
    {
        var line = new List<string> { code };
        for (var parent = ParentOf(code); parent is not null; parent = ParentOf(parent))
        {
            line.Insert(0, parent);
        }
        return line;
    }

    /// <summary>Whether a place lies within a jurisdiction: a district within its province and region.</summary>
    public static bool Contains(string jurisdiction, string code) => Jurisdictions.Contains(jurisdiction, code);

    public static string Describe(GovernmentLevel level) => level switch
    {
        GovernmentLevel.Region => "a region's",
        GovernmentLevel.Province => "a province's",
        _ => "a district's",
    };
}
