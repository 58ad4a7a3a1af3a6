using System.Text;

namespace PBServices.BuildingBlocks.Text;

/// <summary>Writes RFC 4180 rows of open data that residents open in a spreadsheet.</summary>
public static class CsvText
{
    /// <summary>
    /// Quotes a field holding a comma, quote or line break (or edge whitespace). A field a spreadsheet would run as a
    /// formula (=, +, -, @, tab, CR first) gets a leading apostrophe: titles and reasons are typed by people (OWASP's CSV injection).
    /// </summary>
    public static void AppendRow(StringBuilder csv, params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }
            var f = fields[i];
            if (f.Length > 0 && f[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                f = "'" + f;
            }
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (f.Length > 0 && (char.IsWhiteSpace(f[0]) || char.IsWhiteSpace(f[^1]))))
            {
                csv.Append('"').Append(f.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(f);
            }
        }
        csv.Append("\r\n");
    }
}
