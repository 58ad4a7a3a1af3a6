using System.Globalization;
using System.Text;

namespace PBServices.Allocation.Pabulib;

/// <summary>Writes an election back to the .pb format, keeping META order and every extra column.</summary>
public static class PbWriter
{
    public static void Write(PbElection election, TextWriter writer)
    {
        writer.Write("META\nkey;value\n");
        foreach (var (key, value) in election.Meta)
        {
            WriteRow(writer, [key, value]);
        }

        writer.Write("PROJECTS\n");
        WriteRow(writer, election.ProjectColumns);
        var row = new string[election.ProjectColumns.Count];
        foreach (var project in election.Projects)
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = election.ProjectColumns[i] switch
                {
                    "project_id" => project.Id,
                    "cost" => project.Cost.ToString(CultureInfo.InvariantCulture),
                    var column => project.Field(column) ?? "",
                };
            }
            WriteRow(writer, row);
        }

        writer.Write("VOTES\n");
        var ballots = election.Ballots;
        WriteRow(writer, ballots.Columns);
        var extraIndex = new int[ballots.Columns.Count];
        var next = 0;
        for (var i = 0; i < extraIndex.Length; i++)
        {
            extraIndex[i] = BallotSet.IsCoreColumn(ballots.Columns[i]) ? -1 : next++;
        }
        var sb = new StringBuilder();
        var vote = new string[ballots.Columns.Count];
        for (var b = 0; b < ballots.Count; b++)
        {
            for (var i = 0; i < vote.Length; i++)
            {
                vote[i] = ballots.Columns[i] switch
                {
                    "voter_id" => ballots.VoterId(b),
                    "vote" => JoinIds(sb, election, ballots.Projects(b)),
                    "points" => JoinInts(sb, ballots.Points(b)),
                    _ => ballots.ExtraValue(b, extraIndex[i]),
                };
            }
            WriteRow(writer, vote);
        }
    }

    public static void Write(PbElection election, Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        Write(election, writer);
    }

    public static string WriteString(PbElection election)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(election, writer);
        return writer.ToString();
    }

    private static string JoinIds(StringBuilder sb, PbElection election, ReadOnlySpan<int> projects)
    {
        sb.Clear();
        foreach (var p in projects)
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(election.Projects[p].Id);
        }
        return sb.ToString();
    }

    private static string JoinInts(StringBuilder sb, ReadOnlySpan<int> values)
    {
        sb.Clear();
        foreach (var v in values)
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(v.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static void WriteRow(TextWriter writer, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) writer.Write(';');
            var f = fields[i];
            // Quote only what the reader would otherwise split or unescape.
            if (f.AsSpan().IndexOfAny(";\"\n\r") >= 0)
            {
                writer.Write('"');
                writer.Write(f.Replace("\"", "\"\""));
                writer.Write('"');
            }
            else
            {
                writer.Write(f);
            }
        }
        writer.Write('\n');
    }
}
