using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

public sealed class IndexModel(PublicApi api) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "jurisdiction")]
    public string? Jurisdiction { get; set; }

    public IReadOnlyList<ProcessView> Processes { get; private set; } = [];

    /// <summary>The API refused the code typed in the form.</summary>
    public bool CodeRefused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Jurisdiction = string.IsNullOrWhiteSpace(Jurisdiction) ? null : Jurisdiction.Trim();
        var processes = await api.ProcessesAsync(Jurisdiction, ct);
        if (processes is null)
        {
            CodeRefused = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Processes = processes;
        return Page();
    }
}
