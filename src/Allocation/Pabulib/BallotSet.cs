namespace PBServices.Allocation.Pabulib;

/// <summary>
/// All ballots of an election in flat arrays: a million ballots cost a few tens of megabytes, not
/// an object per approval. Ballot i lists project indices Items[Offsets[i]..Offsets[i+1]) in the
/// order the voter gave them (rank order for ordinal ballots) with points alongside for cumulative ones.
/// </summary>
public sealed class BallotSet
{
    private readonly string[] _voterIds;
    private readonly int[] _offsets;
    private readonly int[] _items;
    private readonly int[]? _points;
    private readonly string[][] _extraValues;

    internal BallotSet(string[] voterIds, int[] offsets, int[] items, int[]? points,
        IReadOnlyList<string> columns, string[][] extraValues)
    {
        _voterIds = voterIds;
        _offsets = offsets;
        _items = items;
        _points = points;
        Columns = columns;
        _extraValues = extraValues;
    }

    public int Count => _voterIds.Length;

    public bool HasPoints => _points is not null;

    /// <summary>VOTES header in file order, including voter_id, vote and points.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Columns other than voter_id, vote and points, in file order.</summary>
    public IEnumerable<string> ExtraColumns => Columns.Where(c => !IsCoreColumn(c));

    public string VoterId(int ballot) => _voterIds[ballot];

    public ReadOnlySpan<int> Projects(int ballot) => _items.AsSpan(_offsets[ballot], _offsets[ballot + 1] - _offsets[ballot]);

    public ReadOnlySpan<int> Points(int ballot) =>
        _points is null ? ReadOnlySpan<int>.Empty : _points.AsSpan(_offsets[ballot], _offsets[ballot + 1] - _offsets[ballot]);

    /// <summary>Value of an extra column (by its index among <see cref="ExtraColumns"/>) for a ballot.</summary>
    public string ExtraValue(int ballot, int extraColumn) => _extraValues[extraColumn][ballot];

    internal int ExtraColumnCount => _extraValues.Length;

    internal int[] Offsets => _offsets;
    internal int[] Items => _items;
    internal int[]? PointsArray => _points;

    internal static bool IsCoreColumn(string column) => column is "voter_id" or "vote" or "points";
}

/// <summary>Accumulates ballots into growable flat arrays.</summary>
internal sealed class BallotSetBuilder(IReadOnlyList<string> columns, bool withPoints, int extraColumns)
{
    private readonly List<string> _voterIds = [];
    private readonly List<int> _offsets = [0];
    private int[] _items = new int[1024];
    private int[]? _points = withPoints ? new int[1024] : null;
    private int _length;
    private readonly List<string>[] _extra = Enumerable.Range(0, extraColumns).Select(_ => new List<string>()).ToArray();

    public int Count => _voterIds.Count;

    public void Add(string voterId, ReadOnlySpan<int> items, ReadOnlySpan<int> points, ReadOnlySpan<string> extras)
    {
        EnsureCapacity(_length + items.Length);
        items.CopyTo(_items.AsSpan(_length));
        if (_points is not null)
        {
            points.CopyTo(_points.AsSpan(_length));
        }
        _length += items.Length;
        _voterIds.Add(voterId);
        _offsets.Add(_length);
        for (var i = 0; i < _extra.Length; i++)
        {
            _extra[i].Add(i < extras.Length ? extras[i] : "");
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _items.Length)
        {
            return;
        }
        var size = Math.Max(needed, _items.Length * 2);
        Array.Resize(ref _items, size);
        if (_points is not null)
        {
            Array.Resize(ref _points, size);
        }
    }

    public BallotSet Build() => new(
        _voterIds.ToArray(),
        _offsets.ToArray(),
        _items.AsSpan(0, _length).ToArray(),
        _points?.AsSpan(0, _length).ToArray(),
        columns,
        _extra.Select(l => l.ToArray()).ToArray());
}
