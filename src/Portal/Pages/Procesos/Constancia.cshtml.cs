using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>The receipt just given: the code from this device's receipt cookie, and how to check it once the vote closes.</summary>
public sealed class ConstanciaModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public RoundView? Round { get; private set; }
    public string? Receipt { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var round = api.RoundAsync(id, ct);
        if (await process is not { } p)
        {
            return NotFound();
        }
        Process = p;
        Round = await round;
        Receipt = Request.Cookies.TryGetValue(VotacionModel.ReceiptCookie, out var code) && !string.IsNullOrWhiteSpace(code) ? code : null;
        // Nobody else's browser or proxy keeps a page with a receipt on it.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
