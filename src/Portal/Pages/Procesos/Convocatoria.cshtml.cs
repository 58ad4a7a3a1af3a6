using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

public sealed class ConvocatoriaModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;

    /// <summary>
    /// The windows under way: the steps of Preparation whose window is open today (windows may share a day)
    /// while the process is in it, otherwise its stage.
    /// </summary>
    public IReadOnlyList<string> Current => Process.Stage == "Preparation" ? Process.OpenSteps ?? [] : [Process.Stage];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await api.ProcessAsync(id, ct) is not { } process)
        {
            return NotFound();
        }
        Process = process;
        return Page();
    }
}
