using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using PBServices.Allocation.Pabulib;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Deliberation.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<PaperFileFormat>))]
public enum PaperFileFormat
{
    Csv,
    Pabulib,
}

/// <summary>A paper ballot as imported: the line of the file it came from, so the officer hands its receipt to the right sheet.</summary>
public sealed record ImportedBallot(int Line, CastBallot Ballot);

/// <summary>A file of paper ballots from one workshop table, checked whole: every ballot is valid, or none is taken.</summary>
public sealed record PaperBatch(Guid Id, Guid RoundId, string Name, PaperFileFormat Format, string Sha256, IReadOnlyList<ImportedBallot> Ballots);

/// <summary>
/// Imports the paper ballots of a workshop from a file: CSV (one row per ballot, columns <c>projects</c> and, for
/// cumulative ballots, <c>points</c>) or Pabulib (.pb). Each ballot is checked exactly as one entered by hand
/// (<see cref="VotingRound.EnterPaper"/>); the first bad one refuses the file, naming its line and field.
/// Voter ids a Pabulib file carries are read and dropped: a paper ballot is anonymous.
/// </summary>
public static class PaperBallotImport
{
    public const int MaxBytes = 20 * 1024 * 1024;
    public const int MaxBallots = 100_000;

    public static PaperBatch Import(ProcessCopy process, ProcessCalendar? calendar, VotingRound round, string? batch, byte[]? content, DateTimeOffset now)
    {
        var name = Guard.Text("batch", batch, 200);
        if (content is null || content.Length == 0)
        {
            throw new DomainException("file", "Attach the ballots as the form field 'file': a CSV or a Pabulib .pb file");
        }
        if (content.Length > MaxBytes)
        {
            throw new DomainException("file", $"At most {MaxBytes:N0} bytes; this file has {content.Length:N0}");
        }
        round.RequireOpen(process, calendar, now);
        var text = Decode(content);
        var format = LooksLikePabulib(text) ? PaperFileFormat.Pabulib : PaperFileFormat.Csv;
        var rows = format == PaperFileFormat.Pabulib ? ReadPabulib(text, round) : ReadCsv(text, round);
        if (rows.Count == 0)
        {
            throw new DomainException("file", "The file holds no ballot");
        }
        if (rows.Count > MaxBallots)
        {
            throw new DomainException("file", $"At most {MaxBallots:N0} ballots in one batch; this file has {rows.Count:N0}");
        }
        var ballots = new List<ImportedBallot>(rows.Count);
        foreach (var (line, choice) in rows)
        {
            try
            {
                ballots.Add(new ImportedBallot(line, round.EnterPaper(process, calendar, choice, now)));
            }
            catch (DomainException e) when (e is not ConflictException)
            {
                throw AtLine(line, e.Field, e.Message);
            }
        }
        return new PaperBatch(Guid.CreateVersion7(now), round.Id, name, format, Convert.ToHexStringLower(SHA256.HashData(content)), ballots);
    }

    private static string Decode(byte[] content)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new DomainException("file", "Not UTF-8 text: save the file as CSV UTF-8 (or a Pabulib .pb file)");
        }
    }

    private static bool LooksLikePabulib(string text) =>
        text.AsSpan().TrimStart().StartsWith("META", StringComparison.Ordinal) && FirstLine(text).Trim() == "META";

    private static string FirstLine(string text)
    {
        var trimmed = text.TrimStart();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    private static DomainException AtLine(int line, string field, string reason) => new($"lines[{line}].{field}", $"Line {line}: {reason}");

    /// <summary>
    /// One ballot per row after a header naming the columns <c>projects</c> and (cumulative) <c>points</c>. A project is
    /// a proposal id or its number on the round's ballot (1 for the first of GET …/rounds/{id}'s projects); several are
    /// separated by ';', as are the points, in the same order. Fields are separated by ',' and may be quoted (RFC 4180).
    /// </summary>
    public static IReadOnlyList<(int Line, BallotChoice Choice)> ReadCsv(string text, VotingRound round)
    {
        var records = Csv.Read(text);
        var header = records.FirstOrDefault(r => !r.IsBlank);
        if (header is null)
        {
            throw new DomainException("file", "The file is empty: its first line names the columns, projects and (for cumulative ballots) points");
        }
        var columns = header.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] is not ("projects" or "points"))
            {
                throw AtLine(header.Line, columns[i].Length == 0 ? $"columns[{i}]" : columns[i], "Unknown column; the columns are projects and, for cumulative ballots, points");
            }
            if (columns.IndexOf(columns[i]) != i)
            {
                throw AtLine(header.Line, columns[i], "The column appears twice");
            }
        }
        var projectsColumn = columns.IndexOf("projects");
        if (projectsColumn < 0)
        {
            throw AtLine(header.Line, "projects", "The header has no projects column");
        }
        var pointsColumn = columns.IndexOf("points");
        var rows = new List<(int, BallotChoice)>();
        foreach (var record in records.SkipWhile(r => r != header).Skip(1).Where(r => !r.IsBlank))
        {
            if (record.Fields.Count != columns.Count)
            {
                throw AtLine(record.Line, "columns", $"{record.Fields.Count} field(s) where the header names {columns.Count}");
            }
            var projects = Split(record.Fields[projectsColumn]).Select((p, i) => ProjectRef(round, p, record.Line, i)).ToList();
            var points = pointsColumn < 0 ? [] : Split(record.Fields[pointsColumn]).Select((p, i) => Points(p, record.Line, i)).ToList();
            rows.Add((record.Line, new BallotChoice(projects, points)));
        }
        return rows;
    }

    private static IEnumerable<string> Split(string field) =>
        field.Trim().Length == 0 ? [] : field.Split(';').Select(s => s.Trim());

    private static Guid ProjectRef(VotingRound round, string token, int line, int index)
    {
        if (Guid.TryParse(token, out var id))
        {
            return id;
        }
        if (int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= round.Projects.Count
                ? round.Projects[number - 1].ProposalId
                : throw AtLine(line, $"projects[{index}]", $"No project number {number} on this round's ballot (1 to {round.Projects.Count})");
        }
        throw AtLine(line, $"projects[{index}]", $"'{token}' is neither a proposal id nor a project number");
    }

    private static int Points(string token, int line, int index) =>
        int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
            ? p
            : throw AtLine(line, $"points[{index}]", $"'{token}' is not a whole number of points");

    /// <summary>
    /// A Pabulib election whose PROJECTS are the round's projects, each by proposal id or number, at the round's cost,
    /// and whose vote_type is the round's format; its VOTES are the ballots.
    /// </summary>
    public static IReadOnlyList<(int Line, BallotChoice Choice)> ReadPabulib(string text, VotingRound round)
    {
        PbElection election;
        try
        {
            election = PbReader.ReadString(text);
        }
        catch (PbFormatException e)
        {
            throw AtLine(e.Line, e.Field, e.Problem.Message);
        }
        catch (ArgumentException e)
        {
            throw new DomainException("file", $"Not a Pabulib election: {e.Message}");
        }
        var expected = RoundElection.VoteTypeOf(round.Format);
        if (election.VoteType != expected)
        {
            throw new DomainException("vote_type", $"The file's ballots are {election.VoteType.ToPabulib()}; this round's are {expected.ToPabulib()}");
        }
        var projectLines = SectionLines(text, "PROJECTS");
        var mapped = new Guid[election.Projects.Count];
        var onRound = round.Projects.ToDictionary(p => p.ProposalId);
        for (var i = 0; i < election.Projects.Count; i++)
        {
            var p = election.Projects[i];
            var line = projectLines[i];
            RoundProject? project = Guid.TryParse(p.Id, out var id)
                ? onRound.GetValueOrDefault(id)
                : int.TryParse(p.Id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= round.Projects.Count
                    ? round.Projects[n - 1]
                    : null;
            if (project is null)
            {
                throw AtLine(line, "project_id", $"'{p.Id}' is not on this round's ballot (a proposal id, or a number from 1 to {round.Projects.Count})");
            }
            if (mapped.Contains(project.ProposalId))
            {
                throw AtLine(line, "project_id", $"'{p.Id}' names a project the file already listed");
            }
            if (p.Cost != project.Cost)
            {
                throw AtLine(line, "cost", $"The file says {p.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}; the round's cost of '{project.Title}' is {project.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
            mapped[i] = project.ProposalId;
        }
        if (round.Projects.FirstOrDefault(p => !mapped.Contains(p.ProposalId)) is { } missing)
        {
            throw new DomainException("projects", $"The file's PROJECTS lack '{missing.Title}' ({missing.ProposalId}): a workshop's ballots list the round's projects");
        }
        var voteLines = SectionLines(text, "VOTES");
        var ballots = election.Ballots;
        var rows = new List<(int, BallotChoice)>(ballots.Count);
        for (var b = 0; b < ballots.Count; b++)
        {
            var projects = new List<Guid>();
            foreach (var index in ballots.Projects(b))
            {
                projects.Add(mapped[index]);
            }
            rows.Add((voteLines[b], new BallotChoice(projects, ballots.Points(b).ToArray())));
        }
        return rows;
    }

    /// <summary>
    /// The line numbers of a section's rows, after its header: what the reader took as rows (it skips blank lines only),
    /// so an error names the line the officer sees in an editor.
    /// </summary>
    private static List<int> SectionLines(string text, string section)
    {
        var lines = new List<int>();
        bool inside = false, header = false;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line is "META" or "PROJECTS" or "VOTES")
            {
                inside = line == section;
                header = false;
                continue;
            }
            if (!inside)
            {
                continue;
            }
            if (!header)
            {
                header = true;
                continue;
            }
            lines.Add(number);
        }
        return lines;
    }
}

/// <summary>RFC 4180 comma-separated values: quoted fields may hold commas, quotes ("") and line breaks.</summary>
public static class Csv
{
    public sealed record Record(int Line, IReadOnlyList<string> Fields)
    {
        public bool IsBlank => Fields.Count == 1 && Fields[0].Trim().Length == 0;
    }

    public static IReadOnlyList<Record> Read(string text)
    {
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var i = 0;
        while (i <= text.Length)
        {
            if (i == text.Length)
            {
                if (field.Length > 0 || fields.Count > 0)
                {
                    fields.Add(field.ToString());
                    records.Add(new Record(start, fields));
                }
                break;
            }
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                var opened = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new DomainException($"lines[{opened}].quote", $"Line {opened}: a quoted field is never closed");
                    }
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (text[i] == '\n')
                    {
                        line++;
                    }
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                {
                    throw new DomainException($"lines[{line}].quote", $"Line {line}: text after a closing quote; a quote inside a quoted field is written twice (\"\")");
                }
                continue;
            }
            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    fields.Add(field.ToString());
                    records.Add(new Record(start, fields));
                    fields = [];
                    field.Clear();
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
            i++;
        }
        return records;
    }

    /// <summary>Open data is written as every service writes it, formulas guarded.</summary>
    public static void AppendRow(StringBuilder csv, params string[] fields) => BuildingBlocks.Text.CsvText.AppendRow(csv, fields);
}
