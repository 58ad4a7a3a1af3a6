using System.Globalization;

namespace PBServices.Intake.Bench;

/// <summary>
/// Ubigeo-shaped codes for every government that submits: 25 regions (XX0000), 196 provinces (XXYY00) and the
/// districts (XXYYZZ) that make the total, spread over the regions and provinces as evenly as the counts allow.
/// </summary>
public static class Governments
{
    public static IReadOnlyList<string> Generate(int regions = 25, int provinces = 196, int total = 1_890)
    {
        var districts = total - regions - provinces;
        if (districts < provinces || provinces < regions || regions > 99)
        {
            throw new ArgumentException($"Cannot spread {districts} districts over {provinces} provinces of {regions} regions");
        }
        var codes = new List<string>(total);
        var province = 0;
        for (var r = 0; r < regions; r++)
        {
            var region = (r + 1).ToString("00", CultureInfo.InvariantCulture);
            codes.Add($"{region}0000");
            var provincesHere = Share(provinces, regions, r);
            for (var p = 0; p < provincesHere; p++, province++)
            {
                var code = $"{region}{p + 1:00}";
                codes.Add($"{code}00");
                for (var d = 0; d < Share(districts, provinces, province); d++)
                {
                    codes.Add($"{code}{d + 1:00}");
                }
            }
        }
        return codes;
    }

    /// <summary>The <paramref name="index"/>th of <paramref name="parts"/> near-equal shares of <paramref name="count"/>.</summary>
    private static int Share(int count, int parts, int index) => count / parts + (index < count % parts ? 1 : 0);
}
