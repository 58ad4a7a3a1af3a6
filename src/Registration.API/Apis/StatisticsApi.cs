using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Registration.Domain;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Apis;

/// <summary>Participation statistics, public because they are counts: who takes part, by gender, organisation type, territory and age.</summary>
public static class StatisticsApi
{
    public static IEndpointRouteBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/registration/processes/{processId:guid}/statistics", GetProcessStatistics).AllowAnonymous()
            .WithTag("Statistics", "Participation by gender, organisation type, territory and age band, per process and across years; JSON or CSV.")
            .WithSummary("Participation statistics of a process (?format=csv for CSV)");
        app.MapGet("/api/registration/statistics", GetStatisticsAcrossYears).AllowAnonymous().WithTags("Statistics")
            .WithSummary("Participation statistics of a jurisdiction's processes across the years (?format=csv for CSV)");
        return app;
    }

    public sealed record StatisticsResponse(StatisticsRow[] Rows);

    private static async Task<Results<Ok<StatisticsResponse>, FileContentHttpResult>> GetProcessStatistics(Guid processId, string? format, UnitOfWorkFactory db, CancellationToken ct)
    {
        var csv = Csv(format);
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        return Answer(await uow.StatisticsAsync(processId, null, ct), csv, $"participacion-{processId}.csv");
    }

    private static async Task<Results<Ok<StatisticsResponse>, FileContentHttpResult>> GetStatisticsAcrossYears(string? jurisdiction, string? format, UnitOfWorkFactory db, CancellationToken ct)
    {
        var csv = Csv(format);
        var code = Ubigeo.Parse("jurisdiction", jurisdiction);
        await using var uow = await db.BeginAsync(ct);
        return Answer(await uow.StatisticsAsync(null, code, ct), csv, $"participacion-{code}.csv");
    }

    private static bool Csv(string? format) => format switch
    {
        null or "" or "json" => false,
        "csv" => true,
        _ => throw new DomainException("format", "json (the default) or csv"),
    };

    private static Results<Ok<StatisticsResponse>, FileContentHttpResult> Answer(IReadOnlyList<StatisticsRow> rows, bool csv, string name)
    {
        if (!csv)
        {
            return TypedResults.Ok(new StatisticsResponse(rows.ToArray()));
        }
        var text = new StringBuilder("fiscalYear,processId,dimension,value,registered,accredited\n");
        foreach (var r in rows)
        {
            // Values are enum names and ubigeo codes, never free text, so no field needs quoting.
            text.Append(CultureInfo.InvariantCulture, $"{r.FiscalYear},{r.ProcessId},{r.Dimension},{r.Value},{r.Registered},{r.Accredited}\n");
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", name);
    }
}
