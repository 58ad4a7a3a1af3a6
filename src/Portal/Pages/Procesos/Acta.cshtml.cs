using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>
/// The Acta de Acuerdos y Compromisos as coordination serves it: its hash, the projects and their co-financing,
/// the commitments, the elected oversight committee, who signed and the approvals; and the committee's election.
/// </summary>
public sealed class ActaModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public ActaView? Acta { get; private set; }
    public CommitteeView? Committee { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var acta = api.ActaAsync(id, ct);
        var committee = api.CommitteeAsync(id, ct);
        await Task.WhenAll(process, acta, committee);
        if (await process is not { } p)
        {
            return NotFound();
        }
        (Process, Acta, Committee) = (p, await acta, await committee);
        return Page();
    }
}
