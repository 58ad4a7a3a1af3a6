using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>The process's workshop calendar: when and where, in person or online, how many attended (no names), whether the minutes are recorded.</summary>
public sealed class TalleresModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public IReadOnlyList<WorkshopEntryView> Workshops { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var workshops = api.WorkshopsAsync(id, ct);
        await Task.WhenAll(process, workshops);
        if (await process is not { } p)
        {
            return NotFound();
        }
        Process = p;
        Workshops = (await workshops).OrderBy(w => w.Date).ThenBy(w => w.StartTime).ToList();
        return Page();
    }
}
