using System.Text;
using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation.Tests;

public class LineSourceTests
{
    /// <summary>Texts whose line breaks fall everywhere, "\r\n" split across the reader's buffer included, and lines longer than the buffer.</summary>
    public static TheoryData<int> Seeds() => [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Lines_are_those_ReadLine_gives_from_a_string_a_stream_and_a_line_by_line_reader(int seed)
    {
        var text = RandomText(new Random(seed));
        var expected = ReadLines(new StringReader(text));

        Assert.Equal(expected, Lines(new StringReader(text)));
        Assert.Equal(expected, Lines(new StreamReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), Encoding.UTF8, false, 1 << 10)));
        Assert.Equal(expected, Lines(new LineByLine(text)));
    }

    [Fact]
    public void A_ballot_file_with_crlf_endings_and_a_long_line_reads_as_with_lf()
    {
        var description = new string('x', 40_000);
        var lf = $"META\nkey;value\ndescription;{description}\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\na;5\nb;6\n" +
                 "VOTES\nvoter_id;vote;district\n" + string.Concat(Enumerable.Range(1, 3000).Select(i => $"v{i};{(i % 3 == 0 ? "a,b" : "b")};d{i % 7}\n"));
        var crlf = lf.Replace("\n", "\r\n", StringComparison.Ordinal);

        var fromLf = PbReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(lf)));
        var fromCrlf = PbReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(crlf)));

        Assert.Equal(description, fromCrlf.MetaValue("description"));
        Assert.Equal(PbWriter.WriteString(fromLf), PbWriter.WriteString(fromCrlf));
        Assert.Equal(3000, fromCrlf.Ballots.Count);
        Assert.Equal("d3", fromCrlf.Ballots.ExtraValue(2, 0));
        Assert.Equal([0, 1], fromCrlf.Ballots.Projects(2).ToArray());
    }

    private static string RandomText(Random random)
    {
        string[] pieces = ["a", "bc;d", "\r", "\n", "\r\n", "\r\r", "\n\n", "é", ""];
        var sb = new StringBuilder();
        while (sb.Length < 60_000)
        {
            sb.Append(random.Next(40) == 0 ? new string('y', random.Next(10_000, 40_000)) : pieces[random.Next(pieces.Length)]);
        }
        return sb.ToString();
    }

    private static List<string> ReadLines(TextReader reader)
    {
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }

    private static List<string> Lines(TextReader reader)
    {
        var source = new LineSource(reader);
        var lines = new List<string>();
        while (source.Next())
        {
            lines.Add(new string(source.Buffer, source.Start, source.Length));
        }
        return lines;
    }

    /// <summary>A reader that only hands out lines, as the deliberation service's ballot text does.</summary>
    private sealed class LineByLine(string text) : TextReader
    {
        private readonly StringReader _inner = new(text);

        public override string? ReadLine() => _inner.ReadLine();
    }
}
