using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>
/// The PB office's review of the applications (process-admin): the persons with their DNI, the documents,
/// the identity check at the desk, the decision on each application, then the eligible list and the final one.
/// </summary>
public sealed class RevisionModel(PublicApi api, SignedInApi signedIn) : PageModel
{
    public static readonly IReadOnlyList<(string Api, string Name)> Decisions =
        [("Eligible", "Hábil"), ("Observed", "Observada: debe corregir"), ("Rejected", "Rechazada")];

    public ProcessView Process { get; private set; } = null!;
    public IReadOnlyList<ApplicationView> Applications { get; private set; } = [];
    public Session Session { get; private set; } = null!;

    [BindProperty] public Guid? ApplicationId { get; set; }
    [BindProperty] public Guid? AgentId { get; set; }
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? Reasons { get; set; }
    [BindProperty] public DateOnly? CorrectBy { get; set; }
    [BindProperty(SupportsGet = true, Name = "hecho")] public string? Done { get; set; }

    public ApiProblem? Problem { get; private set; }
    public string ProblemHeading { get; private set; } = "";
    public ProblemBox Box => new(Problem, ProblemHeading, Label, FieldId);

    public string? DoneMessage => Done switch
    {
        "identidad" => "Identidad confirmada.",
        "decision" => "Decisión registrada.",
        "publicada" => "La lista de agentes hábiles quedó publicada.",
        "acreditada" => "La lista final quedó acreditada.",
        _ => null,
    };

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    /// <summary>A document streamed through the portal with the office's token: the API never serves one without it.</summary>
    public async Task<IActionResult> OnGetDocumentoAsync(Guid id, Guid solicitud, Guid documento, CancellationToken ct)
    {
        if (Session.From(HttpContext) is not { IsProcessAdmin: true } session)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        if (await signedIn.DocumentAsync(session, id, solicitud, documento, ct) is not { } response)
        {
            return NotFound();
        }
        HttpContext.Response.RegisterForDispose(response);
        var type = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        var extension = type switch { "application/pdf" => ".pdf", "image/png" => ".png", "image/jpeg" => ".jpg", _ => "" };
        return File(await response.Content.ReadAsStreamAsync(ct), type, $"documento-{documento}{extension}");
    }

    public Task<IActionResult> OnPostIdentidadAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "identidad", "No pudimos confirmar la identidad",
            s => signedIn.ConfirmIdentityAsync(s, id, ApplicationId ?? Guid.Empty, AgentId ?? Guid.Empty, ct), ct);

    public Task<IActionResult> OnPostDecisionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "decision", "La decisión no fue registrada",
            s => signedIn.ReviewAsync(s, id, ApplicationId ?? Guid.Empty, Decision ?? "", Reasons, CorrectBy, ct), ct);

    public Task<IActionResult> OnPostPublicarAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "publicada", "La lista no fue publicada", s => signedIn.PublishEligibleListAsync(s, id, ct), ct);

    public Task<IActionResult> OnPostAcreditarAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "acreditada", "La lista final no fue acreditada", s => signedIn.AccreditAsync(s, id, ct), ct);

    private async Task<IActionResult> ActAsync<T>(Guid id, string done, string heading, Func<Session, Task<ApiResult<T>>> act, CancellationToken ct) where T : class
    {
        if (Session.From(HttpContext) is not { IsProcessAdmin: true } session)
        {
            return await LoadAsync(id, ct) ?? Page();
        }
        var result = await act(session);
        if (result.Problem is null)
        {
            var anchor = ApplicationId is { } a && done is "identidad" or "decision" ? $"#s-{a}" : "";
            return LocalRedirect($"/procesos/{id}/revision?hecho={done}{anchor}");
        }
        if (await LoadAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        Problem = result.Problem;
        ProblemHeading = heading;
        Response.StatusCode = Problem.Status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (Session.From(HttpContext) is not { } session)
        {
            return LocalRedirect($"/ingresar?volver={Uri.EscapeDataString($"/procesos/{id}/revision")}");
        }
        Session = session;
        if (await api.ProcessAsync(id, ct) is not { } process)
        {
            return NotFound();
        }
        Process = process;
        if (!session.IsProcessAdmin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        var applications = await signedIn.ApplicationsAsync(session, id, ct);
        if (applications.Problem is { Status: 403 })
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }
        Applications = applications.Value ?? throw new ApiUnavailableException($"applications of {id}", StatusCodes.Status502BadGateway, $"refused: {applications.Problem!.Detail}");
        return null;
    }

    public string Label(string? field) => field switch
    {
        "decision" => "Decisión",
        "reasons" => "Motivos u observaciones",
        "correctBy" => "Corregir hasta el",
        "identity" or "agents" => "Identidad",
        "documents" => "Documentos",
        _ => field ?? "",
    };

    public string? FieldId(string? field) => (field, ApplicationId) switch
    {
        ("decision", { } a) => $"decision-Eligible-{a}",
        ("reasons", { } a) => $"reasons-{a}",
        ("correctBy", { } a) => $"correct-by-{a}",
        _ => null,
    };
}
