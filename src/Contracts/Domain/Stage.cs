using System.Text.Json.Serialization;

namespace PBServices.Contracts;

/// <summary>
/// The stages of a PB process, in the order Ley 28056 lays them out (docs/architecture.md, "Stages").
/// One type for every service, event, API and signed document; JSON spells it by name ("Concertation").
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Stage>))]
public enum Stage
{
    Preparation,
    Concertation,
    Coordination,
    Formalization,
    Submission,
    Oversight,
}

/// <summary>The level of the government that runs a process; the Ministry is national and runs none.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GovernmentLevel>))]
public enum GovernmentLevel
{
    District,
    Province,
    Region,
}

/// <summary>
/// One project of a list as it travels: prioritised by deliberation, coordinated and formalized by
/// coordination, signed into the submission. The same shape in events, APIs and the signed document.
/// </summary>
public sealed record ListedProject(Guid ProposalId, string Title, decimal Cost, decimal Score, int Rank);

public static class Stages
{
    public static bool TryParse(string? value, out Stage stage) => TryParseName(value, out stage);

    public static bool TryParseLevel(string? value, out GovernmentLevel level) => TryParseName(value, out level);

    /// <summary>By name only, ignoring case: Enum.TryParse would also take "1" or "Preparation,Oversight".</summary>
    public static bool TryParseName<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                result = candidate;
                return true;
            }
        }
        result = default;
        return false;
    }
}
