using System.Globalization;

namespace PBServices.Portal;

/// <summary>
/// The participation statistics arranged for the page: one table and one bar chart per dimension, both
/// from the API's rows as served (the page computes nothing but bar lengths).
/// </summary>
public sealed class ParticipationChart
{
    public const int Width = 320;
    public const int BarSpace = 250;
    public const int ItemHeight = 46;

    private static readonly string[] DimensionOrder = ["Gender", "OrganisationType", "Territory", "AgeBand"];

    public sealed record Item(int FiscalYear, string ApiValue, string Value, string Label, int Registered, int Accredited, double RegisteredLength, double AccreditedLength);

    public sealed record Dimension(string Api, string Name, IReadOnlyList<Item> Items)
    {
        public string Id => $"d-{Api.ToLowerInvariant()}";
        public int Height => Items.Count * ItemHeight + 24;
        public string Description => string.Join(" ", Items.Select(i => $"{i.Label}: {i.Registered} inscritos, {i.Accredited} acreditados."));
    }

    public ParticipationChart(IReadOnlyList<StatisticsRow> rows, bool acrossYears)
    {
        AcrossYears = acrossYears;
        Dimensions = rows
            .GroupBy(r => r.Dimension)
            .OrderBy(g => Array.IndexOf(DimensionOrder, g.Key) is var i and >= 0 ? i : DimensionOrder.Length)
            .Select(g =>
            {
                var ordered = acrossYears ? g.OrderBy(r => r.FiscalYear).ToList() : g.ToList();
                // Each dimension's bars share one scale, so its longest bar is its largest number.
                var max = Math.Max(1, ordered.Max(r => Math.Max(r.Registered, r.Accredited)));
                return new Dimension(g.Key, Es.Dimension(g.Key), ordered.Select(r =>
                {
                    var label = r.Value is null ? "Sin dato" : Es.DimensionValue(r.Dimension, r.Value);
                    return new Item(r.FiscalYear, r.Value ?? "", label, acrossYears ? $"{r.FiscalYear} · {label}" : label, r.Registered, r.Accredited,
                        Length(r.Registered, max), Length(r.Accredited, max));
                }).ToList());
            })
            .ToList();
    }

    public bool AcrossYears { get; }
    public IReadOnlyList<Dimension> Dimensions { get; }

    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double Length(int value, int max) => Math.Round(BarSpace * (double)value / max, 2);
}

/// <summary>
/// A closed vote's supporters per project as a bar chart, from the result the API serves: one bar per
/// project in the result's order (funded first), marked funded or not by its text as well as its colour.
/// </summary>
public sealed class SupportersChart
{
    public const int Width = 320;
    public const int BarSpace = 230;
    public const int ItemHeight = 36;
    private const int LabelLength = 44;

    public sealed record Bar(Guid ProposalId, string Label, int Supporters, bool Funded, double Length, int Y);

    public SupportersChart(ResultView result)
    {
        var max = Math.Max(1, result.Projects.Count == 0 ? 1 : result.Projects.Max(p => p.Supporters));
        Bars = result.Projects.Select((p, i) => new Bar(p.ProposalId, Shorten(p.Title), p.Supporters, p.Verdict == "Funded",
            Math.Round(BarSpace * (double)p.Supporters / max, 2), i * ItemHeight)).ToList();
        Description = string.Join(" ", result.Projects.Select(p => $"{p.Title}: {Es.Votes(p.Supporters)}, {(p.Verdict == "Funded" ? "financiado" : "no financiado")}."));
    }

    public IReadOnlyList<Bar> Bars { get; }
    public string Description { get; }
    public int Height => Bars.Count * ItemHeight + 4;

    // SVG text does not wrap: a long title is cut in the chart and read whole in its description and the list below.
    private static string Shorten(string title) => title.Length <= LabelLength ? title : title[..(LabelLength - 1)].TrimEnd() + "…";
}

/// <summary>
/// What was agreed, what the opening budget (PIA) took and what has been spent, as three bars on one scale, from
/// the totals the oversight API serves (the page computes nothing but bar lengths). Each bar's label carries its
/// amount, so the chart reads without its colours; the description says the same for a screen reader.
/// </summary>
public sealed class ProgressChart
{
    public const int Width = 320;
    public const int ItemHeight = 40;

    public sealed record Bar(string Kind, string Label, decimal Amount, double Length, int Y);

    public ProgressChart(string id, string title, decimal agreed, decimal budgeted, decimal spent)
    {
        Id = id;
        Title = title;
        var max = Math.Max(1m, Math.Max(agreed, Math.Max(budgeted, spent)));
        (string Kind, string Label, decimal Amount)[] items =
            [("agreed", "Acordado", agreed), ("budgeted", "En el presupuesto (PIA)", budgeted), ("spent", "Gastado (devengado)", spent)];
        Bars = items.Select((b, i) => new Bar(b.Kind, b.Label, b.Amount, Math.Round(Width * (double)(b.Amount / max), 2), i * ItemHeight)).ToList();
        Description = $"Acordado: {Es.Soles(agreed)}. En el presupuesto (PIA): {Es.Soles(budgeted)}, {Es.Percent(budgeted, agreed)} de lo acordado. "
            + $"Gastado (devengado): {Es.Soles(spent)}, {Es.Percent(spent, agreed)} de lo acordado.";
    }

    public string Id { get; }
    public string Title { get; }
    public IReadOnlyList<Bar> Bars { get; }
    public string Description { get; }
    public int Height => Bars.Count * ItemHeight;
}
