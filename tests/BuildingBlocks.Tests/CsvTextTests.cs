using System.Text;
using PBServices.BuildingBlocks.Text;

namespace PBServices.BuildingBlocks.Tests;

public sealed class CsvTextTests
{
    private static string Row(params string[] fields)
    {
        var csv = new StringBuilder();
        CsvText.AppendRow(csv, fields);
        return csv.ToString();
    }

    [Fact]
    public void Fields_with_commas_quotes_or_line_breaks_are_quoted()
    {
        Assert.Equal("a,\"b,c\",\"d \"\"e\"\"\",\"f\ng\"\r\n", Row("a", "b,c", "d \"e\"", "f\ng"));
        Assert.Equal("\" padded \",plain\r\n", Row(" padded ", "plain"));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+51 999", "'+51 999")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    public void A_field_a_spreadsheet_would_run_as_a_formula_stays_text(string field, string written)
    {
        Assert.Equal(written + "\r\n", Row(field));
    }

    [Fact]
    public void Ordinary_text_and_numbers_are_written_as_they_are()
    {
        Assert.Equal("Carretera vecinal,900000.00,2026-12-01\r\n", Row("Carretera vecinal", "900000.00", "2026-12-01"));
    }
}
