using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;

namespace PBServices.Allocation.Pabulib;

/// <summary>Result of <see cref="PbReader.Validate(TextReader)"/>: every problem found, and the election when it has no errors.</summary>
public sealed record PbValidation(IReadOnlyList<PbProblem> Problems, int ProblemsNotListed, PbElection? Election)
{
    public bool IsValid => Election is not null;
    public int ErrorCount => Problems.Count(p => p.Severity == PbSeverity.Error) + ProblemsNotListed;
}

/// <summary>
/// Reads Pabulib .pb files in one streaming pass. Strict about what breaks the count (unknown
/// projects, duplicate voters, bad numbers, points over the limit), tolerant of what does not
/// (blank lines, stale num_votes, ballots shorter than min_length, which are warnings).
/// </summary>
public static class PbReader
{
    public static PbElection Read(TextReader reader) =>
        new PbParser(reader, collectAll: false).Parse().Election
        ?? throw new InvalidOperationException("The parser returned no election without reporting an error.");

    public static PbElection Read(Stream stream) => Read(OpenText(stream));

    public static PbElection ReadString(string text) => Read(new StringReader(text));

    public static PbValidation Validate(TextReader reader) => new PbParser(reader, collectAll: true).Parse();

    public static PbValidation Validate(Stream stream) => Validate(OpenText(stream));

    private static StreamReader OpenText(Stream stream) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
            detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 14);
}

internal sealed class PbParser(TextReader reader, bool collectAll)
{
    private readonly LineSource _lines = new(reader);
    private const int MaxListedProblems = 1000;

    private readonly List<PbProblem> _problems = [];
    private int _notListed;
    private bool _hasError;
    private int _lineNo;

    // Reusable row splitting buffers: field k spans [_starts[k], _starts[k] + _lengths[k]) of the line, which is
    // _lines.Buffer from _lineStart, unless the line had quotes, in which case the unescaped text is in _quoted[k].
    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];
    private readonly List<string> _quoted = [];
    private bool _rowQuoted;
    private int _fieldCount;
    private int _lineStart;

    private enum Section { None, Meta, Projects, Votes }

    // One long-running loop: tiered compilation would leave it on slow on-stack-replacement code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public PbValidation Parse()
    {
        var meta = new List<KeyValuePair<string, string>>();
        var metaLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var projectColumns = new List<string>();
        var projects = new List<PbProject>();
        var projectIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<Section>();
        var section = Section.None;
        string[]? header = null;
        VotesReader? votes = null;
        int idColumn = -1, costColumn = -1;
        var metaHeaderLine = 0;

        while (_lines.Next())
        {
            _lineNo++;
            var line = _lines.Buffer.AsSpan(_lines.Start, _lines.Length);
            _lineStart = _lines.Start;
            if (_lineNo == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
                _lineStart++;
            }
            var trimmed = line.Trim();
            if (trimmed.IsEmpty)
            {
                continue;
            }
            var marker = trimmed switch
            {
                "META" => Section.Meta,
                "PROJECTS" => Section.Projects,
                "VOTES" => Section.Votes,
                _ => Section.None,
            };
            if (marker != Section.None)
            {
                var expected = section switch
                {
                    Section.None => Section.Meta,
                    Section.Meta => Section.Projects,
                    Section.Projects => Section.Votes,
                    _ => Section.None,
                };
                if (marker != expected || seen.Contains(marker))
                {
                    Report("section", expected == Section.None
                        ? $"unexpected section {marker} after VOTES"
                        : $"expected section {expected.ToString().ToUpperInvariant()}, found {marker.ToString().ToUpperInvariant()}");
                }
                seen.Add(marker);
                section = marker;
                header = null;
                if (marker == Section.Meta)
                {
                    metaHeaderLine = _lineNo;
                }
                continue;
            }
            if (section == Section.None)
            {
                Report("section", "the file must start with a META section");
                section = Section.Meta;
                seen.Add(Section.Meta);
            }
            if (!Split(line))
            {
                continue;
            }
            if (header is null)
            {
                header = new string[_fieldCount];
                for (var i = 0; i < _fieldCount; i++)
                {
                    header[i] = Field(i).Trim().ToString();
                }
                switch (section)
                {
                    case Section.Meta:
                        if (header.Length < 2 || header[0] != "key" || header[1] != "value")
                        {
                            Report("header", "META header must be 'key;value'");
                        }
                        break;
                    case Section.Projects:
                        projectColumns.AddRange(header);
                        idColumn = Array.IndexOf(header, "project_id");
                        costColumn = Array.IndexOf(header, "cost");
                        if (idColumn < 0) Report("project_id", "PROJECTS header has no project_id column");
                        if (costColumn < 0) Report("cost", "PROJECTS header has no cost column");
                        CheckDuplicateColumns(header);
                        break;
                    case Section.Votes:
                        CheckDuplicateColumns(header);
                        votes = new VotesReader(this, header, meta, metaLines, metaHeaderLine, projects);
                        break;
                }
                continue;
            }
            switch (section)
            {
                case Section.Meta:
                    if (_fieldCount < 2)
                    {
                        Report("value", "META row needs a key and a value");
                        break;
                    }
                    var key = Field(0).Trim().ToString();
                    if (metaLines.ContainsKey(key))
                    {
                        Report(key, "duplicate META key");
                        break;
                    }
                    metaLines[key] = _lineNo;
                    meta.Add(new(key, FieldString(1)));
                    break;
                case Section.Projects:
                    if (!CheckWidth(header)) break;
                    ReadProject(header, idColumn, costColumn, projects, projectIndex);
                    break;
                case Section.Votes:
                    if (!CheckWidth(header)) break;
                    votes!.ReadBallot();
                    break;
            }
        }

        _lineNo++;
        foreach (var required in new[] { Section.Meta, Section.Projects, Section.Votes })
        {
            if (!seen.Contains(required))
            {
                Report("section", $"missing section {required.ToString().ToUpperInvariant()}");
            }
        }
        if (seen.Contains(Section.Votes) && votes is null)
        {
            Report("header", "VOTES section has no header");
        }

        PbElection? election = null;
        if (votes is not null)
        {
            var ballots = votes.Build();
            CheckCount(meta, metaLines, "num_projects", projects.Count);
            CheckCount(meta, metaLines, "num_votes", ballots.Count);
            if (!_hasError)
            {
                election = new PbElection(meta, projectColumns, projects, ballots);
            }
        }
        return new PbValidation(_problems, _notListed, election);
    }

    private void CheckCount(List<KeyValuePair<string, string>> meta, Dictionary<string, int> lines, string key, int actual)
    {
        var text = meta.FirstOrDefault(kv => kv.Key == key).Value;
        if (text is null)
        {
            return;
        }
        var declared = PbElection.ParseInt(text);
        if (declared != actual)
        {
            Report(lines[key], key, $"META says {text.Trim()} but the file has {actual}", PbSeverity.Warning);
        }
    }

    private void CheckDuplicateColumns(string[] header)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in header)
        {
            if (!names.Add(h))
            {
                Report(h, "duplicate column in header");
            }
        }
    }

    private bool CheckWidth(string[] header)
    {
        if (_fieldCount == header.Length)
        {
            return true;
        }
        Report(_fieldCount < header.Length ? header[_fieldCount] : "row",
            $"expected {header.Length} fields as in the header, found {_fieldCount}");
        return false;
    }

    private void ReadProject(string[] header, int idColumn, int costColumn, List<PbProject> projects, Dictionary<string, int> index)
    {
        if (idColumn < 0 || costColumn < 0)
        {
            return;
        }
        var id = Field(idColumn).Trim().ToString();
        if (id.Length == 0)
        {
            Report("project_id", "empty project id");
            return;
        }
        if (id.Contains(','))
        {
            Report("project_id", $"project id '{id}' contains a comma, which ballots use as separator");
        }
        var costText = Field(costColumn).Trim().ToString();
        var cost = PbElection.ParseDecimal(costText);
        if (cost is null)
        {
            Report("cost", $"bad number '{costText}' for project {id}");
            return;
        }
        if (cost < 0)
        {
            Report("cost", $"negative cost {costText} for project {id}");
            return;
        }
        if (index.ContainsKey(id))
        {
            Report("project_id", $"duplicate project id '{id}'");
            return;
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (i != idColumn && i != costColumn)
            {
                fields[header[i]] = FieldString(i);
            }
        }
        index[id] = projects.Count;
        projects.Add(new PbProject(id, cost.Value, fields));
    }

    internal int LineNo => _lineNo;

    internal void Report(string field, string message, PbSeverity severity = PbSeverity.Error) =>
        Report(_lineNo, field, message, severity);

    internal void Report(int line, string field, string message, PbSeverity severity = PbSeverity.Error)
    {
        var problem = new PbProblem(line, field, message, severity);
        if (severity == PbSeverity.Error)
        {
            _hasError = true;
            if (!collectAll)
            {
                throw new PbFormatException(problem);
            }
        }
        if (_problems.Count < MaxListedProblems)
        {
            _problems.Add(problem);
        }
        else
        {
            _notListed++;
        }
    }

    internal int FieldCount => _fieldCount;

    internal ReadOnlySpan<char> Field(int k) =>
        _rowQuoted ? _quoted[k].AsSpan() : _lines.Buffer.AsSpan(_lineStart + _starts[k], _lengths[k]);

    internal string FieldString(int k) => _rowQuoted ? _quoted[k] : new string(Field(k));

    /// <summary>
    /// Splits a ';'-separated row as Python's csv module does: a field is quoted only if it starts
    /// with a quote, "" inside it is a literal quote; quotes elsewhere are ordinary characters.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Split(ReadOnlySpan<char> line)
    {
        _fieldCount = 0;
        // One pass for separators and quotes; a quote anywhere sends the row to the slower unescaping path below.
        _rowQuoted = false;
        var start = 0;
        while (true)
        {
            var next = line[start..].IndexOfAny(';', '"');
            if (next >= 0 && line[start + next] == '"')
            {
                _rowQuoted = true;
                _fieldCount = 0;
                break;
            }
            var end = next < 0 ? line.Length : start + next;
            AddRange(start, end - start);
            if (next < 0) return true;
            start = end + 1;
        }
        _quoted.Clear();
        var sb = new StringBuilder();
        var i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                var closed = false;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        closed = true;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                if (!closed)
                {
                    Report("row", "unterminated quoted field");
                    return false;
                }
            }
            while (i < line.Length && line[i] != ';')
            {
                sb.Append(line[i++]);
            }
            _quoted.Add(sb.ToString());
            _fieldCount++;
            if (i >= line.Length) return true;
            i++;
        }
    }

    private void AddRange(int start, int length)
    {
        if (_fieldCount == _starts.Length)
        {
            Array.Resize(ref _starts, _fieldCount * 2);
            Array.Resize(ref _lengths, _fieldCount * 2);
        }
        _starts[_fieldCount] = start;
        _lengths[_fieldCount] = length;
        _fieldCount++;
    }

    /// <summary>Everything needed to read VOTES rows once META and PROJECTS are known.</summary>
    private sealed class VotesReader
    {
        private readonly PbParser _p;
        private readonly VoteType _type;
        private readonly int _voterColumn, _voteColumn, _pointsColumn;
        private readonly int[] _extraColumns;
        private readonly int? _minLength, _maxLength;
        private readonly long? _maxSumPoints, _maxPoints, _minPoints;
        // The reader refused duplicate project ids, so index k here is project k.
        private readonly StringTable _projectIds;
        private readonly BallotSetBuilder _builder;
        private readonly int[] _stamp;
        private int[] _items = new int[64];
        private int[] _points = new int[64];
        private readonly string[] _extras;
        private readonly StringPool[] _extraValues;
        private int _ballotNo;

        public VotesReader(PbParser p, string[] header, List<KeyValuePair<string, string>> meta,
            Dictionary<string, int> metaLines, int metaHeaderLine, List<PbProject> projects)
        {
            _p = p;
            string? Meta(string key) => meta.FirstOrDefault(kv => kv.Key == key).Value;
            var votesHeaderLine = p.LineNo;

            var typeText = Meta("vote_type");
            if (typeText is null)
            {
                p.Report(metaHeaderLine, "vote_type", "META has no vote_type");
            }
            else if (!VoteTypes.TryParse(typeText.Trim(), out _type))
            {
                p.Report(metaLines["vote_type"], "vote_type", $"unknown vote type '{typeText}' (expected approval, choose-1, cumulative or ordinal)");
            }
            var budgetText = Meta("budget");
            if (budgetText is null)
            {
                p.Report(metaHeaderLine, "budget", "META has no budget");
            }
            else if (PbElection.ParseDecimal(budgetText) is not { } budget || budget < 0)
            {
                p.Report(metaLines["budget"], "budget", $"bad number '{budgetText}'");
            }

            int? IntMeta(string key)
            {
                var text = Meta(key);
                if (text is null) return null;
                var v = PbElection.ParseInt(text);
                if (v is null || v < 0) p.Report(metaLines[key], key, $"bad number '{text}'");
                return v;
            }
            _minLength = IntMeta("min_length");
            _maxLength = IntMeta("max_length");
            _maxSumPoints = IntMeta("max_sum_points");
            _maxPoints = IntMeta("max_points");
            _minPoints = IntMeta("min_points");

            _voterColumn = Array.IndexOf(header, "voter_id");
            _voteColumn = Array.IndexOf(header, "vote");
            _pointsColumn = Array.IndexOf(header, "points");
            if (_voterColumn < 0) p.Report(votesHeaderLine, "voter_id", "VOTES header has no voter_id column");
            if (_voteColumn < 0) p.Report(votesHeaderLine, "vote", "VOTES header has no vote column");
            if (_type == VoteType.Cumulative && _pointsColumn < 0)
            {
                p.Report(votesHeaderLine, "points", "cumulative ballots need a points column");
            }
            _extraColumns = Enumerable.Range(0, header.Length).Where(i => !BallotSet.IsCoreColumn(header[i])).ToArray();
            _extras = new string[_extraColumns.Length];
            _extraValues = _extraColumns.Select(_ => new StringPool()).ToArray();
            _projectIds = new StringTable(projects.Count);
            foreach (var project in projects)
            {
                _projectIds.Add(project.Id);
            }
            _stamp = new int[Math.Max(1, projects.Count)];
            var withPoints = _type == VoteType.Cumulative;
            // num_votes only sizes the arrays (it may be stale): bounded, so that a wrong one costs little.
            var expected = Meta("num_votes") is { } declared && PbElection.ParseInt(declared) is { } n ? Math.Clamp(n, 0, 1 << 20) : 0;
            _builder = new BallotSetBuilder(header, withPoints, _extraColumns.Length, expected);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ReadBallot()
        {
            if (_voterColumn < 0 || _voteColumn < 0)
            {
                return;
            }
            _ballotNo++;
            var voterId = _p.Field(_voterColumn).Trim();
            var added = false;
            if (voterId.IsEmpty)
            {
                _p.Report("voter_id", "empty voter id");
            }
            else if (_builder.Count == int.MaxValue - 1 || !(added = _builder.TryAddVoter(voterId)))
            {
                _p.Report("voter_id", $"duplicate voter id '{voterId}'");
            }
            // The vote is checked even when the id is bad, so that validation reports both.
            var valid = ReadVote(out var count);
            if (!added)
            {
                return;
            }
            if (!valid)
            {
                // Keep one (empty) ballot per voter id; a file with errors yields no election anyway.
                _builder.AddBallot([], [], []);
                return;
            }
            for (var i = 0; i < _extraColumns.Length; i++)
            {
                _extras[i] = _extraValues[i].Get(_p.Field(_extraColumns[i]));
            }
            _builder.AddBallot(_items.AsSpan(0, count), _points.AsSpan(0, _type == VoteType.Cumulative ? count : 0), _extras);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool ReadVote(out int count)
        {
            count = 0;
            var ok = true;
            var vote = _p.Field(_voteColumn);
            if (!vote.Trim().IsEmpty)
            {
                var rest = vote;
                var more = true;
                while (more)
                {
                    var comma = rest.IndexOf(',');
                    more = comma >= 0;
                    var id = (more ? rest[..comma] : rest).Trim();
                    rest = more ? rest[(comma + 1)..] : [];
                    var project = _projectIds.IndexOf(id);
                    if (project < 0)
                    {
                        _p.Report("vote", id.IsEmpty ? "empty project id in vote" : $"unknown project '{id}'");
                        ok = false;
                        continue;
                    }
                    if (_stamp[project] == _ballotNo)
                    {
                        // An approval named twice is still one approval (pabutools keeps a set);
                        // a repeated rank or points entry has no single meaning.
                        if (_type is VoteType.Approval or VoteType.ChooseOne)
                        {
                            _p.Report("vote", $"project '{id}' appears twice in one ballot; counted once", PbSeverity.Warning);
                        }
                        else
                        {
                            _p.Report("vote", $"project '{id}' appears twice in one ballot");
                            ok = false;
                        }
                        continue;
                    }
                    _stamp[project] = _ballotNo;
                    if (count == _items.Length) Array.Resize(ref _items, count * 2);
                    _items[count++] = project;
                }
            }
            if (!ok)
            {
                return false;
            }

            if (_type == VoteType.ChooseOne && count > 1)
            {
                _p.Report("vote", $"a choose-1 ballot names {count} projects");
                return false;
            }
            if (_maxLength is { } max && count > max)
            {
                _p.Report("vote", $"ballot names {count} projects, more than max_length {max}", PbSeverity.Warning);
            }
            if (_minLength is { } min && count < min && count > 0)
            {
                _p.Report("vote", $"ballot names {count} projects, fewer than min_length {min}", PbSeverity.Warning);
            }

            if (_type == VoteType.Cumulative && _pointsColumn >= 0 && !ReadPoints(count))
            {
                return false;
            }
            return true;
        }

        private bool ReadPoints(int count)
        {
            var text = _p.Field(_pointsColumn);
            if (_points.Length < _items.Length) Array.Resize(ref _points, _items.Length);
            var n = 0;
            long sum = 0;
            if (!text.Trim().IsEmpty)
            {
                foreach (var range in text.Split(','))
                {
                    var item = text[range].Trim();
                    if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var pts))
                    {
                        _p.Report("points", $"bad number '{item}' (points must be whole numbers)");
                        return false;
                    }
                    if (n < _points.Length) _points[n] = pts;
                    n++;
                    sum += pts;
                    if (_maxPoints is { } maxPts && pts > maxPts)
                    {
                        _p.Report("points", $"{pts} points on one project, over max_points {maxPts}");
                        return false;
                    }
                    if (_minPoints is { } minPts && pts < minPts)
                    {
                        _p.Report("points", $"{pts} points on one project, under min_points {minPts}");
                        return false;
                    }
                }
            }
            if (n != count)
            {
                _p.Report("points", $"{n} points for {count} projects");
                return false;
            }
            if (_maxSumPoints is { } maxSum && sum > maxSum)
            {
                _p.Report("points", $"{sum} points in total, over max_sum_points {maxSum}");
                return false;
            }
            return true;
        }

        public BallotSet Build() => _builder.Build();
    }
}

/// <summary>
/// One string per distinct value of a column such as a voter's district or age group, instead of one per ballot.
/// A column of (nearly) unique values, such as a timestamp, stops being pooled once it has many.
/// </summary>
internal sealed class StringPool
{
    private const int MaxPooled = 4096;

    private readonly StringTable _values = new(16);

    public string Get(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return "";
        }
        if (_values.IndexOf(value) is var i and >= 0)
        {
            return _values[i];
        }
        var text = new string(value);
        if (_values.Count < MaxPooled)
        {
            _values.Add(text);
        }
        return text;
    }
}

/// <summary>
/// Distinct strings by index, found from a span: open addressing on the (randomised) hash, kept with each entry so that
/// a probe compares characters only when the hashes agree. A lookup per approval and per extra field of a ballot is
/// cheaper so than through a dictionary's span lookup, which calls its comparer through an interface.
/// </summary>
internal sealed class StringTable(int capacity)
{
    private readonly List<string> _strings = new(capacity);
    private int[] _entries = new int[Size(capacity)];
    private int[] _hashes = new int[Size(capacity)];

    public int Count => _strings.Count;

    public string this[int i] => _strings[i];

    /// <summary>Adds a string not in the table yet; returns its index.</summary>
    public int Add(string value)
    {
        _strings.Add(value);
        if (_strings.Count * 2 > _entries.Length)
        {
            (_entries, _hashes) = (new int[_entries.Length * 2], new int[_entries.Length * 2]);
            for (var i = 0; i < _strings.Count; i++)
            {
                Place(i, string.GetHashCode(_strings[i].AsSpan()));
            }
        }
        else
        {
            Place(_strings.Count - 1, string.GetHashCode(value.AsSpan()));
        }
        return _strings.Count - 1;
    }

    public int IndexOf(ReadOnlySpan<char> value)
    {
        var hash = string.GetHashCode(value);
        var mask = _entries.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _entries[slot];
            if (entry == 0)
            {
                return -1;
            }
            if (_hashes[slot] == hash && _strings[entry - 1].AsSpan().SequenceEqual(value))
            {
                return entry - 1;
            }
        }
    }

    private void Place(int index, int hash)
    {
        var mask = _entries.Length - 1;
        var slot = hash & mask;
        while (_entries[slot] != 0) slot = (slot + 1) & mask;
        _entries[slot] = index + 1;
        _hashes[slot] = hash;
    }

    private static int Size(int capacity) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, capacity * 2 + 2));
}
