namespace PBServices.Contracts;

/// <summary>
/// INEI's ubigeo: two digits of department (a region's government), two of province, two of district.
/// 040000 is the region of Arequipa, 040100 its province Arequipa, 040101 the district of Arequipa.
/// </summary>
public static class Jurisdictions
{
    public static GovernmentLevel LevelOf(string code) =>
        code.EndsWith("0000", StringComparison.Ordinal) ? GovernmentLevel.Region
        : code.EndsWith("00", StringComparison.Ordinal) ? GovernmentLevel.Province
        : GovernmentLevel.District;

    /// <summary>The jurisdiction directly above: a district's province, a province's region; none above a region.</summary>
    public static string? ParentOf(string code) => code.Length != 6 ? null : LevelOf(code) switch
    {
        GovernmentLevel.Region => null,
        GovernmentLevel.Province => code[..2] + "0000",
        _ => code[..4] + "00",
    };

    /// <summary>Whether a place lies within a jurisdiction: a district within its province and region.</summary>
    public static bool Contains(string jurisdiction, string code) => code.Length == 6 && LevelOf(jurisdiction) switch
    {
        GovernmentLevel.Region => code[..2] == jurisdiction[..2],
        GovernmentLevel.Province => code[..4] == jurisdiction[..4],
        _ => code == jurisdiction,
    };
}
