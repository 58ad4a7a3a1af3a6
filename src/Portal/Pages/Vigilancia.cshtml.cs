using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>A jurisdiction's formalized agreements across its fiscal years: agreed, budgeted and spent, and where each project stands.</summary>
public sealed class VigilanciaModel(PublicApi api) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "jurisdiccion")]
    public string? Jurisdiction { get; set; }

    public OversightReportView? Report { get; private set; }
    public bool CodeRefused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Jurisdiction = string.IsNullOrWhiteSpace(Jurisdiction) ? null : Jurisdiction.Trim();
        if (Jurisdiction is null)
        {
            return Page();
        }
        if (await api.OversightProgressAsync(Jurisdiction, ct) is not { } report)
        {
            CodeRefused = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Report = report;
        return Page();
    }
}
