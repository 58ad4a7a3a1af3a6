using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

public sealed class EstadisticasModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public ParticipationChart Chart { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var statistics = api.ProcessStatisticsAsync(id, ct);
        if (await process is not { } p || await statistics is not { } s)
        {
            return NotFound();
        }
        Process = p;
        Chart = new ParticipationChart(s.Rows, acrossYears: false);
        return Page();
    }
}
