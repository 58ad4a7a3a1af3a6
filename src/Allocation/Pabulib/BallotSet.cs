namespace PBServices.Allocation.Pabulib;

/// <summary>
/// All ballots of an election in flat arrays: a million ballots cost a few tens of megabytes, not
/// an object per approval. Ballot i lists project indices Items[Offsets[i]..Offsets[i+1]) in the
/// order the voter gave them (rank order for ordinal ballots) with points alongside for cumulative ones.
/// </summary>
public sealed class BallotSet
{
    private readonly VoterIds _voterIds;
    private readonly int[] _offsets;
    private readonly int[] _items;
    private readonly int[]? _points;
    private readonly string[][] _extraValues;

    internal BallotSet(VoterIds voterIds, int[] offsets, int[] items, int[]? points,
        IReadOnlyList<string> columns, string[][] extraValues)
    {
        _voterIds = voterIds;
        _offsets = offsets;
        _items = items;
        _points = points;
        Columns = columns;
        _extraValues = extraValues;
    }

    public int Count => _voterIds.Count;

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
/// <remarks><paramref name="expected"/> ballots (at least one project each) fit without growing the arrays.</remarks>
internal sealed class BallotSetBuilder(IReadOnlyList<string> columns, bool withPoints, int extraColumns, int expected = 0)
{
    private readonly VoterIds _voterIds = new(expected);
    private int[] _offsets = new int[Math.Max(1024, expected + 1)];
    private int[] _items = new int[Math.Max(1024, expected)];
    private int[]? _points = withPoints ? new int[Math.Max(1024, expected)] : null;
    private int _length;
    private readonly string[][] _extra = Enumerable.Range(0, extraColumns).Select(_ => new string[Math.Max(16, expected)]).ToArray();

    public int Count => _voterIds.Count;

    /// <summary>Adds a voter id, or returns false if it was already there.</summary>
    public bool TryAddVoter(ReadOnlySpan<char> voterId) => _voterIds.TryAdd(voterId);

    /// <summary>Adds the ballot of the voter added last.</summary>
    public void AddBallot(ReadOnlySpan<int> items, ReadOnlySpan<int> points, ReadOnlySpan<string> extras)
    {
        EnsureCapacity(_length + items.Length);
        items.CopyTo(_items.AsSpan(_length));
        if (_points is not null)
        {
            points.CopyTo(_points.AsSpan(_length));
        }
        _length += items.Length;
        var ballot = _voterIds.Count - 1;
        if (ballot + 2 > _offsets.Length)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
        }
        _offsets[ballot + 1] = _length;
        for (var i = 0; i < _extra.Length; i++)
        {
            if (ballot == _extra[i].Length)
            {
                Array.Resize(ref _extra[i], ballot * 2);
            }
            _extra[i][ballot] = i < extras.Length ? extras[i] : "";
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
        _voterIds,
        Exact(_offsets, _voterIds.Count + 1),
        Exact(_items, _length),
        _points is null ? null : Exact(_points, _length),
        columns,
        _extra.Select(l => Exact(l, _voterIds.Count)).ToArray());

    /// <summary>The first <paramref name="length"/> elements: the array itself when it has just those (num_votes was right).</summary>
    private static T[] Exact<T>(T[] array, int length) => array.Length == length ? array : array.AsSpan(0, length).ToArray();
}

/// <summary>
/// Voter ids in one character buffer with an open-addressing index for duplicate detection: a
/// million ids cost two arrays rather than a million strings for the garbage collector to trace.
/// </summary>
internal sealed class VoterIds(int expected = 0)
{
    private char[] _chars = new char[Math.Max(1 << 12, expected * 4)];
    private int[] _starts = new int[Math.Max(1 << 10, expected + 2)];
    // An entry is the id's hash (high half) and its index + 1 (low half; 0 = empty): a probe compares characters only
    // when the hashes agree, and growing needs no hashing. At most half full, as TryAdd keeps it.
    private long[] _table = new long[Math.Max(1 << 11, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)expected * 2 + 2))];
    private int _length;

    public int Count { get; private set; }

    public string this[int i] => new(_chars, _starts[i], _starts[i + 1] - _starts[i]);

    private ReadOnlySpan<char> Span(int i) => _chars.AsSpan(_starts[i], _starts[i + 1] - _starts[i]);

    public bool TryAdd(ReadOnlySpan<char> id)
    {
        var hash = string.GetHashCode(id);
        var mask = _table.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _table[slot];
            if (entry == 0)
            {
                Append(id);
                _table[slot] = ((long)hash << 32) | (uint)Count;
                if (Count * 2 > _table.Length)
                {
                    Rehash();
                }
                return true;
            }
            if ((int)(entry >> 32) == hash && Span((int)entry - 1).SequenceEqual(id))
            {
                return false;
            }
        }
    }

    private void Append(ReadOnlySpan<char> id)
    {
        if (_length + id.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_length + id.Length, _chars.Length * 2));
        }
        if (Count + 2 > _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
        }
        id.CopyTo(_chars.AsSpan(_length));
        _length += id.Length;
        Count++;
        _starts[Count] = _length;
    }

    private void Rehash()
    {
        var table = new long[_table.Length * 2];
        var mask = table.Length - 1;
        foreach (var entry in _table)
        {
            if (entry == 0) continue;
            var slot = (int)(entry >> 32) & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = entry;
        }
        _table = table;
    }
}
