using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>
/// A workshop's agenda and its minutes, every version; a signed-in agent checks in online here on the
/// workshop's day. The API decides; the page only offers the button when the API could accept it.
/// </summary>
public sealed class TallerModel(PublicApi api, SignedInApi signedIn, TimeProvider clock) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public WorkshopView Workshop { get; private set; } = null!;
    public Session? Session { get; private set; }
    public DateOnly Today { get; private set; }

    /// <summary>Set after the redirect that follows an accepted check-in (so reloading does not post again).</summary>
    [BindProperty(SupportsGet = true, Name = "asistencia")] public string? CheckedIn { get; set; }

    public string? RefusalHeading { get; private set; }
    public string? RefusalText { get; private set; }
    public ApiProblem? Refusal { get; private set; }

    public bool IsAgent => Session?.Has("agent") == true;
    public bool Online => Workshop.OnlineLink is not null;
    public bool OnItsDay => Workshop.Date == Today;
    public bool MayCheckIn => IsAgent && Online && OnItsDay && !Workshop.MinutesRecorded;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid workshopId, CancellationToken ct) =>
        await LoadAsync(id, workshopId, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, Guid workshopId, CancellationToken ct)
    {
        if (Session.From(HttpContext) is null)
        {
            return LocalRedirect($"/ingresar?volver={Uri.EscapeDataString($"/procesos/{id}/talleres/{workshopId}")}");
        }
        if (await LoadAsync(id, workshopId, ct) is { } early)
        {
            return early;
        }
        var result = await signedIn.CheckInAsync(Session!, id, workshopId, ct);
        if (result.Value is not null)
        {
            return LocalRedirect($"/procesos/{id}/talleres/{workshopId}?asistencia=registrada");
        }
        Refusal = result.Problem!;
        (RefusalHeading, RefusalText) = Explain(Refusal);
        Response.StatusCode = Refusal.Status;
        // The refusal may follow a change the page did not show yet (the minutes recorded meanwhile).
        if (await api.WorkshopAsync(id, workshopId, ct) is { } now)
        {
            Workshop = now;
        }
        return Page();
    }

    /// <summary>The API's refusal in Spanish; its own words stay beneath. The workshop's state says which of its conflicts it was.</summary>
    private (string Heading, string Text) Explain(ApiProblem problem)
    {
        var fields = problem.Errors.Keys.ToHashSet();
        var words = string.Join(" ", problem.Reasons.Select(r => r.Reason));
        return problem.Status switch
        {
            409 when fields.Contains("agentId") && words.Contains("already", StringComparison.OrdinalIgnoreCase) =>
                ("Su asistencia ya está registrada", "Ya figura como asistente de este taller; cada agente se registra una sola vez."),
            409 when fields.Contains("agentId") && words.Contains("revoked", StringComparison.OrdinalIgnoreCase) =>
                ("Su acreditación fue revocada", "Solo los agentes acreditados registran su asistencia."),
            409 when fields.Contains("agentId") =>
                ("No figura como agente acreditado de este proceso", "Si lo acreditaron hace unos minutos, vuelva a intentarlo en un momento; si no, acuda a la oficina de presupuesto participativo."),
            409 when Workshop.MinutesRecorded || words.Contains("minutes", StringComparison.OrdinalIgnoreCase) =>
                ("La asistencia está cerrada", "El acta de este taller ya se registró y con ella se cerró la lista de asistencia."),
            409 when !Online =>
                ("Este taller es solo presencial", "La asistencia se registra en el local, con el personal de la municipalidad."),
            409 => ("Hoy no es el día del taller", $"La asistencia en línea se registra el mismo día del taller, el {Es.Date(Workshop.Date)}."),
            403 => ("Su ingreso no permite registrar asistencia aquí", Session!.Jurisdiction != Process.Jurisdiction
                ? $"Su ingreso es de la jurisdicción {Session.Jurisdiction} y el taller es de la jurisdicción {Process.Jurisdiction}."
                : "Registran su asistencia en línea los agentes acreditados del proceso."),
            _ => ("No se registró su asistencia", "El servicio no la aceptó. Intente de nuevo en unos minutos."),
        };
    }

    private async Task<IActionResult?> LoadAsync(Guid id, Guid workshopId, CancellationToken ct)
    {
        Session = Session.From(HttpContext);
        Today = Es.Today(clock);
        var process = api.ProcessAsync(id, ct);
        var workshop = api.WorkshopAsync(id, workshopId, ct);
        await Task.WhenAll(process, workshop);
        if (await process is not { } p || await workshop is not { } w)
        {
            return NotFound();
        }
        (Process, Workshop) = (p, w);
        return null;
    }
}
