using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>One agreed project followed through: the budget, its milestones, the changes with who decided and why, the co-financing delivered, the evidence.</summary>
public sealed class VigilanciaProyectoModel(PublicApi api) : PageModel
{
    public AgreedProjectDetailView Detail { get; private set; } = null!;
    public OversightProcessView Process { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid proposalId, CancellationToken ct)
    {
        if (await api.AgreedProjectAsync(proposalId, ct) is not { } detail || await api.OversightProcessAsync(detail.Project.ProcessId, ct) is not { } process)
        {
            return NotFound();
        }
        (Detail, Process) = (detail, process);
        return Page();
    }
}
