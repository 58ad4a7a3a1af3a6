using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

public sealed class ConvocatoriaModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;

    /// <summary>The window under way: a step of Preparation while the process is in it, otherwise its stage.</summary>
    public string? Current => Process.Stage == "Preparation" ? Process.CurrentStep : Process.Stage;

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
