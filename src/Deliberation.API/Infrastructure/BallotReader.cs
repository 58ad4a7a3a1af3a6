using Npgsql;
using PBServices.Allocation;
using PBServices.Allocation.Pabulib;
using PBServices.BuildingBlocks.Data;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.Deliberation.Infrastructure;

/// <summary>What a round's count says: the outcome under the process's rule, how it compares with greedy, and the ballots by channel.</summary>
public sealed record RoundCount(AllocationOutcome Outcome, GreedyComparison? ComparedWithGreedy, int Ballots, int OnlineBallots, int PaperBallots)
{
    /// <summary>The count of ballots held as objects: the round's Pabulib text, counted by the library (the reference the stored count must equal).</summary>
    public static RoundCount Of(ProcessCopy process, VotingRound round, IReadOnlyList<CastBallot> ballots)
    {
        var (pabulib, outcome) = RoundElection.Count(process, round, ballots);
        // Equal shares explains itself against the familiar count: how many voters each outcome serves better.
        var compared = outcome.Rule is AllocationRule.EqualShares or AllocationRule.EqualSharesAdd1 ? RoundElection.CompareWithGreedy(pabulib, outcome, ballots) : null;
        return new RoundCount(outcome, compared, ballots.Count, ballots.Count(b => b.Channel == BallotChannel.Online), ballots.Count(b => b.Channel == BallotChannel.Paper));
    }
}

/// <summary>
/// A round's ballots as a few flat arrays (receipt as a number, channel, project positions, points), so a
/// million ballots are counted in tens of megabytes rather than a million objects and the whole Pabulib
/// text at once. The count reads the very lines <see cref="RoundElection.ToPabulib"/> writes, one at a
/// time, so the outcome is the one the published file gives.
/// </summary>
public sealed class StoredBallots
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly VotingRound _round;
    private readonly Dictionary<Guid, int> _position;
    private readonly bool _withPoints;
    private long[] _receipts = new long[1024];
    private bool[] _paper = new bool[1024];
    private int[] _offsets = new int[1025];
    private int[] _items = new int[4096];
    private int[] _points;
    private int _length;

    public StoredBallots(VotingRound round)
    {
        _round = round;
        _position = round.Projects.Select((p, i) => (p.ProposalId, i)).ToDictionary(x => x.ProposalId, x => x.i);
        _withPoints = round.Format == BallotFormat.Cumulative;
        _points = _withPoints ? new int[4096] : [];
    }

    public int Count { get; private set; }

    public void Add(string receipt, BallotChannel channel, ReadOnlySpan<Guid> projects, ReadOnlySpan<int> points)
    {
        if (Count == _receipts.Length)
        {
            Array.Resize(ref _receipts, Count * 2);
            Array.Resize(ref _paper, Count * 2);
            Array.Resize(ref _offsets, Count * 2 + 1);
        }
        if (_length + projects.Length > _items.Length)
        {
            Array.Resize(ref _items, Math.Max(_items.Length * 2, _length + projects.Length));
            if (_withPoints)
            {
                Array.Resize(ref _points, _items.Length);
            }
        }
        _receipts[Count] = Encode(receipt);
        _paper[Count] = channel == BallotChannel.Paper;
        for (var i = 0; i < projects.Length; i++)
        {
            _items[_length + i] = _position.TryGetValue(projects[i], out var p)
                ? p
                : throw new InvalidOperationException($"Ballot {receipt} names {projects[i]}, which is not on round {_round.Id}'s ballot");
        }
        if (_withPoints)
        {
            points.CopyTo(_points.AsSpan(_length));
        }
        _length += projects.Length;
        _offsets[++Count] = _length;
    }

    public RoundCount Tally(ProcessCopy process)
    {
        var election = PbReader.Read(new ElectionText(this, process));
        var outcome = Allocator.Allocate(election, RoundElection.RuleOf(process.Rules?.AllocationRule ?? PrioritizedList.GreedyRule));
        var compared = outcome.Rule is AllocationRule.EqualShares or AllocationRule.EqualSharesAdd1 ? CompareWithGreedy(election, outcome) : null;
        var paper = _paper.AsSpan(0, Count).Count(true);
        return new RoundCount(outcome, compared, Count, Count - paper, paper);
    }

    /// <summary>As <see cref="RoundElection.CompareWithGreedy"/> does, on the parsed ballots instead of ballot objects.</summary>
    private static GreedyComparison CompareWithGreedy(PbElection election, AllocationOutcome outcome)
    {
        var greedy = Allocator.Allocate(election, AllocationRule.Greedy);
        var ours = new bool[election.Projects.Count];
        var theirs = new bool[election.Projects.Count];
        foreach (var id in outcome.Selected)
        {
            ours[election.IndexOf(id)] = true;
        }
        foreach (var id in greedy.Selected)
        {
            theirs[election.IndexOf(id)] = true;
        }
        int prefer = 0, preferGreedy = 0;
        var ballots = election.Ballots;
        for (var b = 0; b < ballots.Count; b++)
        {
            var projects = ballots.Projects(b);
            var points = ballots.Points(b);
            int mine = 0, greedys = 0;
            for (var i = 0; i < projects.Length; i++)
            {
                var gain = points.IsEmpty ? 1 : points[i];
                mine += ours[projects[i]] ? gain : 0;
                greedys += theirs[projects[i]] ? gain : 0;
            }
            prefer += mine > greedys ? 1 : 0;
            preferGreedy += greedys > mine ? 1 : 0;
        }
        return new GreedyComparison(greedy.Selected, greedy.Spent, prefer, preferGreedy, ballots.Count - prefer - preferGreedy);
    }

    /// <summary>Receipts are twelve symbols of an alphabet in ordinal order: as a number, they sort as the strings do.</summary>
    private static long Encode(string receipt)
    {
        if (!Receipts.IsWellFormed(receipt))
        {
            throw new InvalidOperationException($"Stored receipt '{receipt}' is not well formed");
        }
        long value = 0;
        foreach (var c in receipt)
        {
            if (c != '-')
            {
                value = (value << 5) | (uint)Alphabet.IndexOf(c);
            }
        }
        return value;
    }

    private static string Decode(long value)
    {
        Span<char> code = stackalloc char[14];
        for (var i = 13; i >= 0; i--)
        {
            if (i is 4 or 9)
            {
                code[i] = '-';
                continue;
            }
            code[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(code);
    }

    /// <summary>The round's Pabulib file, line by line: its META and PROJECTS as RoundElection writes them, then one line per ballot in receipt order.</summary>
    private sealed class ElectionText : TextReader
    {
        private readonly StoredBallots _ballots;
        private readonly string[] _header;
        private readonly string[] _projectIds;
        private readonly int[] _order;
        private int _next;
        private string? _pending;
        private int _pendingAt;

        public ElectionText(StoredBallots ballots, ProcessCopy process)
        {
            _ballots = ballots;
            // The header of a round without ballots is this one's but for the number of votes.
            var empty = RoundElection.ToPabulib(process, ballots._round, []);
            _header = empty.Replace("\nnum_votes;0\n", $"\nnum_votes;{ballots.Count}\n", StringComparison.Ordinal).Split('\n')[..^1];
            _projectIds = ballots._round.Projects.Select(p => p.ProposalId.ToString()).ToArray();
            var keys = ballots._receipts.AsSpan(0, ballots.Count).ToArray();
            _order = Enumerable.Range(0, ballots.Count).ToArray();
            Array.Sort(keys, _order);
        }

        public override string? ReadLine()
        {
            if (_pending is { } rest)
            {
                _pending = null;
                return rest[_pendingAt..^1];
            }
            return NextLine();
        }

        public override int Peek()
        {
            if (_pending is null && NextLine() is { } line)
            {
                (_pending, _pendingAt) = (line + "\n", 0);
            }
            return _pending is null ? -1 : _pending[_pendingAt];
        }

        public override int Read()
        {
            var c = Peek();
            if (c >= 0 && ++_pendingAt == _pending!.Length)
            {
                _pending = null;
            }
            return c;
        }

        private string? NextLine()
        {
            var i = _next++;
            if (i < _header.Length)
            {
                return _header[i];
            }
            i -= _header.Length;
            if (i >= _order.Length)
            {
                return null;
            }
            var b = _order[i];
            var (from, to) = (_ballots._offsets[b], _ballots._offsets[b + 1]);
            var line = new System.Text.StringBuilder(15 + (to - from) * 37 + (_ballots._withPoints ? (to - from) * 4 : 0));
            line.Append(Decode(_ballots._receipts[b])).Append(';');
            for (var k = from; k < to; k++)
            {
                line.Append(k > from ? "," : "").Append(_projectIds[_ballots._items[k]]);
            }
            if (_ballots._withPoints)
            {
                line.Append(';');
                for (var k = from; k < to; k++)
                {
                    line.Append(k > from ? "," : "").Append(_ballots._points[k]);
                }
            }
            return line.ToString();
        }
    }
}

/// <summary>Reads a round's ballots straight into <see cref="StoredBallots"/>, row by row: nothing holds all of them as objects.</summary>
internal static class BallotReader
{
    public static async Task<RoundCount> TallyAsync(this UnitOfWork uow, ProcessCopy process, VotingRound round, CancellationToken ct)
    {
        var ballots = new StoredBallots(round);
        await using var command = new NpgsqlCommand("SELECT receipt, channel, projects, points FROM ballots WHERE round_id = @roundId", uow.Connection, uow.Transaction);
        command.Parameters.AddWithValue("roundId", round.Id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ballots.Add(reader.GetString(0), Enum.Parse<BallotChannel>(reader.GetString(1)), reader.GetFieldValue<Guid[]>(2), reader.GetFieldValue<int[]>(3));
        }
        return ballots.Tally(process);
    }
}
