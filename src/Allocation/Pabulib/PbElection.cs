using System.Globalization;

namespace PBServices.Allocation.Pabulib;

/// <summary>
/// One participatory-budgeting election as the Pabulib standard describes it: META keys in file
/// order, projects with all their columns, and the ballots.
/// </summary>
public sealed class PbElection
{
    private readonly Dictionary<string, int> _projectIndex;

    public PbElection(
        IReadOnlyList<KeyValuePair<string, string>> meta,
        IReadOnlyList<string> projectColumns,
        IReadOnlyList<PbProject> projects,
        BallotSet ballots)
    {
        Meta = meta;
        ProjectColumns = projectColumns;
        Projects = projects;
        Ballots = ballots;
        _projectIndex = new Dictionary<string, int>(projects.Count, StringComparer.Ordinal);
        for (var i = 0; i < projects.Count; i++)
        {
            _projectIndex[projects[i].Id] = i;
        }
        VoteType = VoteTypes.TryParse(MetaValue("vote_type") ?? "", out var t)
            ? t
            : throw new ArgumentException("META must carry a known vote_type.", nameof(meta));
        Budget = ParseDecimal(MetaValue("budget"))
            ?? throw new ArgumentException("META must carry a numeric budget.", nameof(meta));
    }

    public IReadOnlyList<KeyValuePair<string, string>> Meta { get; }

    /// <summary>PROJECTS header in file order (project_id and cost included).</summary>
    public IReadOnlyList<string> ProjectColumns { get; }

    public IReadOnlyList<PbProject> Projects { get; }

    public BallotSet Ballots { get; }

    public VoteType VoteType { get; }

    public decimal Budget { get; }

    public int? MinLength => ParseInt(MetaValue("min_length"));

    public int? MaxLength => ParseInt(MetaValue("max_length"));

    public decimal? MaxSumPoints => ParseDecimal(MetaValue("max_sum_points"));

    /// <summary>The rule the organisers declared (e.g. greedy, equalshares/add1), if any.</summary>
    public string? DeclaredRule => MetaValue("rule");

    public string? MetaValue(string key)
    {
        foreach (var (k, v) in Meta)
        {
            if (k == key)
            {
                return v;
            }
        }
        return null;
    }

    public int IndexOf(string projectId) => _projectIndex.TryGetValue(projectId, out var i) ? i : -1;

    /// <summary>Pabulib numbers: invariant culture, a decimal comma tolerated (as pabutools does).</summary>
    internal static decimal? ParseDecimal(string? text) =>
        text is not null && decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture, out var d) ? d : null;

    internal static int? ParseInt(string? text)
    {
        var d = ParseDecimal(text);
        return d is { } v && v == decimal.Truncate(v) && v is >= int.MinValue and <= int.MaxValue ? (int)v : null;
    }
}
