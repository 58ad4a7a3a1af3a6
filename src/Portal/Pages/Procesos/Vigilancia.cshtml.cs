using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>One process's formalized agreements followed by oversight: its totals, the elected committee and every project's standing.</summary>
public sealed class VigilanciaModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public OversightProcessView? Progress { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var progress = api.OversightProcessAsync(id, ct);
        await Task.WhenAll(process, progress);
        if (await process is not { } p)
        {
            return NotFound();
        }
        (Process, Progress) = (p, await progress);
        return Page();
    }
}
