using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>The published list of eligible agents (never a DNI: the API's public list has none), and the way to object.</summary>
public sealed class AgentesModel(PublicApi api, SignedInApi signedIn) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public EligibleListView? List { get; private set; }
    public Session? Session { get; private set; }

    [BindProperty] public Guid? AgentId { get; set; }
    [BindProperty] public string? Grounds { get; set; }
    [BindProperty] public string? Evidence { get; set; }

    public ApiProblem? Problem { get; private set; }
    public ProblemBox Box => new(Problem, "La tacha no fue aceptada", Label, FieldId);
    /// <summary>The objection just filed (after the redirect).</summary>
    [BindProperty(SupportsGet = true, Name = "tacha")] public Guid? Filed { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (Session is null)
        {
            return LocalRedirect($"/ingresar?volver={Uri.EscapeDataString($"/procesos/{id}/agentes")}");
        }
        if (AgentId is not { } agentId)
        {
            Problem = new ApiProblem(400, null, null, new Dictionary<string, string[]> { ["agentId"] = ["Elija el agente de la lista."] });
        }
        else
        {
            var filed = await signedIn.ObjectAsync(Session, id, agentId, Grounds, Evidence, ct);
            if (filed.Value is { } objection)
            {
                return LocalRedirect($"/procesos/{id}/agentes?tacha={objection.Id}#tacha");
            }
            Problem = filed.Problem;
        }
        Response.StatusCode = Problem!.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Session = Session.From(HttpContext);
        var process = api.ProcessAsync(id, ct);
        var list = api.EligibleListAsync(id, ct);
        if (await process is not { } p)
        {
            return false;
        }
        Process = p;
        List = await list;
        return true;
    }

    public static string Label(string? field) => field switch
    {
        "agentId" => "Agente",
        "grounds" => "Motivo de la tacha",
        "evidence" => "Pruebas",
        _ => field ?? "",
    };

    public static string? FieldId(string? field) => field switch
    {
        "agentId" => "agent",
        "grounds" => "grounds",
        "evidence" => "evidence",
        _ => null,
    };
}
