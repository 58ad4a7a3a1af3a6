namespace PBServices.Allocation.Pabulib;

/// <summary>
/// A project row. <see cref="Fields"/> holds every column other than project_id and cost, so that
/// names, categories and the file's own votes/score/selected columns survive a round trip.
/// </summary>
public sealed record PbProject(string Id, decimal Cost, IReadOnlyDictionary<string, string> Fields)
{
    public string? Field(string column) => Fields.TryGetValue(column, out var v) ? v : null;
}
