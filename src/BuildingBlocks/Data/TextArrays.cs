using System.Text.Json;

namespace PBServices.BuildingBlocks.Data;

/// <summary>
/// A text[] column read as <c>to_jsonb(column)::text</c>: Dapper types an array column as System.Array, which no
/// record constructor takes, so rows read it as JSON text and convert it here.
/// </summary>
public static class TextArrays
{
    public static string[] FromJson(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
}
