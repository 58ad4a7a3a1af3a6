using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Text;
using PBServices.NationalIntake.Infrastructure;

namespace PBServices.NationalIntake.Apis;

/// <summary>The national aggregate for the budget bill sent to Congress: public, as JSON, CSV and a page.</summary>
public static class AggregateApi
{
    public sealed record AggregateResponse(int FiscalYear, IReadOnlyList<AggregateRow> Rows, decimal TotalApproved);

    public static IEndpointRouteBuilder MapAggregateApi(this IEndpointRouteBuilder app)
    {
        var aggregate = app.MapGroup("").AllowAnonymous()
            .WithTag("National aggregate", "Approved amounts by region, level, plan objective and fiscal year: what the budget bill carries.");
        aggregate.MapGet("/api/intake/aggregate", GetJson)
            .WithSummary("Get the approved totals of a fiscal year by region, level and plan objective");
        aggregate.MapGet("/api/intake/aggregate.csv", GetCsv)
            .WithSummary("Get the approved totals of a fiscal year as CSV (open data)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        aggregate.MapGet("/agregado", GetPage)
            .WithSummary("The approved totals of a fiscal year as a page, in Spanish, with a chart by region")
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        return app;
    }

    private static async Task<Ok<AggregateResponse>> GetJson(int fiscalYear, UnitOfWorkFactory db, CancellationToken ct)
    {
        var a = await NationalAggregate.ReadAsync(db, fiscalYear, "fiscalYear", ct);
        return TypedResults.Ok(new AggregateResponse(a.FiscalYear, a.Rows, a.TotalApproved));
    }

    private static async Task<ContentHttpResult> GetCsv(int fiscalYear, UnitOfWorkFactory db, CancellationToken ct)
    {
        var a = await NationalAggregate.ReadAsync(db, fiscalYear, "fiscalYear", ct);
        var csv = new StringBuilder();
        CsvText.AppendRow(csv, "region", "level", "plan_objective", "fiscal_year", "projects", "approved_amount");
        foreach (var r in a.Rows)
        {
            CsvText.AppendRow(csv, r.Region, r.Level, r.PlanObjective, Int(r.FiscalYear), Int(r.Projects), Amount(r.ApprovedAmount));
        }
        CsvText.AppendRow(csv, "total", "", "", Int(a.FiscalYear), Int(a.Rows.Sum(r => r.Projects)), Amount(a.TotalApproved));
        return TypedResults.Content(csv.ToString(), "text/csv; charset=utf-8");
    }

    /// <summary>Server-rendered, no script: readable on a 360 px phone, the chart drawn in SVG with its numbers as text.</summary>
    private static async Task<ContentHttpResult> GetPage(int? anio, UnitOfWorkFactory db, TimeProvider time, CancellationToken ct)
    {
        // The budget bill is for the coming year.
        var a = await NationalAggregate.ReadAsync(db, anio ?? time.GetUtcNow().Year + 1, "anio", ct);
        var h = new StringBuilder();
        h.Append($"""
            <!DOCTYPE html>
            <html lang="es">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            <title>Agregado nacional {a.FiscalYear} · MEF</title>
            <style>
            body{"{"}font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;line-height:1.5;color:#1a1a1a{"}"}
            h1{"{"}font-size:1.5rem{"}"}
            .tabla{"{"}overflow-x:auto{"}"}
            table{"{"}border-collapse:collapse;width:100%{"}"}
            th,td{"{"}border-bottom:1px solid #ccc;padding:.4rem;text-align:left{"}"}
            td.n,th.n{"{"}text-align:right;white-space:nowrap{"}"}
            svg{"{"}width:100%;height:auto{"}"}
            </style>
            </head>
            <body>
            <main>
            <h1>Presupuesto participativo: montos aprobados {a.FiscalYear}</h1>
            <p>Total aprobado por el Ministerio de Economía y Finanzas para el año fiscal {a.FiscalYear}: <strong id="total">S/ {Soles(a.TotalApproved)}</strong></p>

            """);
        var regions = a.ByRegion();
        if (regions.Count == 0)
        {
            h.Append("<p>Aún no hay proyectos aprobados para este año fiscal.</p>\n");
        }
        else
        {
            AppendChart(h, a.FiscalYear, regions);
            h.Append("""
                <div class="tabla" tabindex="0" role="region" aria-label="Tabla de montos aprobados">
                <table>
                <caption>Montos aprobados por región, nivel de gobierno y objetivo del plan</caption>
                <thead><tr><th scope="col">Región</th><th scope="col">Nivel</th><th scope="col">Objetivo del plan</th><th scope="col" class="n">Proyectos</th><th scope="col" class="n">Monto aprobado</th></tr></thead>
                <tbody>

                """);
            foreach (var r in a.Rows)
            {
                h.Append($"<tr><td>{Html(r.Region)}</td><td>{Html(LevelName(r.Level))}</td><td>{Html(r.PlanObjective)}</td><td class=\"n\">{r.Projects}</td><td class=\"n\">S/ {Soles(r.ApprovedAmount)}</td></tr>\n");
            }
            h.Append($"""
                </tbody>
                <tfoot><tr><th scope="row" colspan="3">Total</th><td class="n">{a.Rows.Sum(r => r.Projects)}</td><td class="n">S/ {Soles(a.TotalApproved)}</td></tr></tfoot>
                </table>
                </div>

                """);
        }
        h.Append($"""
            <p>Datos abiertos: <a href="/api/intake/aggregate.csv?fiscalYear={a.FiscalYear}">CSV</a> · <a href="/api/intake/aggregate?fiscalYear={a.FiscalYear}">JSON</a></p>
            </main>
            </body>
            </html>

            """);
        return TypedResults.Content(h.ToString(), "text/html; charset=utf-8");
    }

    private static void AppendChart(StringBuilder h, int fiscalYear, IReadOnlyList<(string Region, decimal Amount)> regions)
    {
        const int width = 320, barLeft = 70, row = 28, barMax = 150;
        var max = regions.Max(r => r.Amount);
        var height = regions.Count * row + 8;
        h.Append($"""
            <figure>
            <svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="grafico-titulo" xmlns="http://www.w3.org/2000/svg">
            <title id="grafico-titulo">Monto aprobado por región, año fiscal {fiscalYear}</title>

            """);
        for (var i = 0; i < regions.Count; i++)
        {
            var (region, amount) = regions[i];
            var y = i * row + 4;
            var w = max == 0 ? 0 : (int)Math.Max(1, Math.Round(amount / max * barMax));
            h.Append($"<text x=\"0\" y=\"{y + 17}\" font-size=\"12\">{Html(region)}</text>");
            h.Append($"<rect x=\"{barLeft}\" y=\"{y + 4}\" width=\"{w}\" height=\"18\" fill=\"#1f5f99\"><title>{Html(region)}: S/ {Soles(amount)}</title></rect>");
            h.Append($"<text x=\"{barLeft + w + 4}\" y=\"{y + 17}\" font-size=\"11\">S/ {Soles(amount)}</text>\n");
        }
        h.Append("</svg>\n<figcaption>Monto aprobado por región (ubigeo de la región).</figcaption>\n</figure>\n");
    }

    private static string LevelName(string level) => level switch
    {
        "District" => "Distrital",
        "Province" => "Provincial",
        "Region" => "Regional",
        _ => level,
    };

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Soles as Peru writes them in official documents: comma for thousands, point for céntimos.</summary>
    private static string Soles(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static string Amount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Int(int n) => n.ToString(CultureInfo.InvariantCulture);
}
