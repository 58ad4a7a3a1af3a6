using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>A jurisdiction's participation across its processes' fiscal years.</summary>
public sealed class EstadisticasModel(PublicApi api) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "jurisdiccion")]
    public string? Jurisdiction { get; set; }

    public ParticipationChart? Chart { get; private set; }
    public bool CodeRefused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Jurisdiction = string.IsNullOrWhiteSpace(Jurisdiction) ? null : Jurisdiction.Trim();
        if (Jurisdiction is null)
        {
            return Page();
        }
        if (await api.JurisdictionStatisticsAsync(Jurisdiction, ct) is not { } statistics)
        {
            CodeRefused = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Chart = new ParticipationChart(statistics.Rows, acrossYears: true);
        return Page();
    }
}
