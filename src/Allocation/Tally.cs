using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation;

/// <summary>Per-project totals of an election, indexed like <see cref="PbElection.Projects"/>.</summary>
public sealed record ElectionTally(IReadOnlyList<long> Scores, IReadOnlyList<int> Supporters);

public static class Tally
{
    /// <summary>
    /// Approval and choose-1: number of supporters. Cumulative: sum of points. Ordinal: Borda points,
    /// k for the first rank down to k − (length − 1) for the last, with k = max_length if the file
    /// declares it, else the ballot's length (a ballot longer than max_length uses its own length).
    /// </summary>
    public static ElectionTally Count(PbElection election)
    {
        var m = election.Projects.Count;
        var scores = new long[m];
        var supporters = new int[m];
        var ballots = election.Ballots;
        var offsets = ballots.Offsets;
        var items = ballots.Items;
        foreach (var p in items)
        {
            supporters[p]++;
        }
        switch (election.VoteType)
        {
            case VoteType.Approval or VoteType.ChooseOne:
                for (var p = 0; p < m; p++)
                {
                    scores[p] = supporters[p];
                }
                break;
            case VoteType.Cumulative:
                var points = ballots.PointsArray!;
                for (var k = 0; k < items.Length; k++)
                {
                    scores[items[k]] += points[k];
                }
                break;
            case VoteType.Ordinal:
                var maxLength = election.MaxLength;
                for (var b = 0; b < ballots.Count; b++)
                {
                    var start = offsets[b];
                    var length = offsets[b + 1] - start;
                    var k = Math.Max(maxLength ?? length, length);
                    for (var pos = 0; pos < length; pos++)
                    {
                        scores[items[start + pos]] += k - pos;
                    }
                }
                break;
        }
        return new ElectionTally(scores, supporters);
    }
}
