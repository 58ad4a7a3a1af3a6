using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.NationalIntake.Infrastructure;

/// <summary>Approved totals for the budget bill: by region, level, plan objective and fiscal year.</summary>
public sealed record NationalAggregate(int FiscalYear, IReadOnlyList<AggregateRow> Rows, decimal TotalApproved)
{
    public static async Task<NationalAggregate> ReadAsync(UnitOfWorkFactory db, int fiscalYear, string field, CancellationToken ct)
    {
        if (fiscalYear is < 2000 or > 2200)
        {
            throw new DomainException(field, "A fiscal year between 2000 and 2200");
        }
        await using var uow = await db.BeginAsync(ct);
        var rows = await uow.AggregateAsync(fiscalYear, ct);
        return new NationalAggregate(fiscalYear, rows, rows.Sum(r => r.ApprovedAmount));
    }

    /// <summary>Each region's approved total, largest first: what the page's chart shows.</summary>
    public IReadOnlyList<(string Region, decimal Amount)> ByRegion() =>
        Rows.GroupBy(r => r.Region).Select(g => (g.Key, g.Sum(r => r.ApprovedAmount))).OrderByDescending(r => r.Item2).ThenBy(r => r.Key).ToList();
}
