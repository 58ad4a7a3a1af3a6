using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>The applications the signed-in person submitted: where each stands, what to correct, what is missing.</summary>
[RequestSizeLimit(11 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 11 * 1024 * 1024)]
public sealed class MisInscripcionesModel(SignedInApi signedIn) : PageModel
{
    public IReadOnlyList<ApplicationView> Applications { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "presentada")] public Guid? Submitted { get; set; }

    [BindProperty] public Guid ProcessId { get; set; }
    [BindProperty] public Guid ApplicationId { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public ApiProblem? Problem { get; private set; }
    public ProblemBox Box => new(Problem, "No aceptamos el documento", f => f is "file" or "kind" ? "Documento" : f ?? "", f => f is "file" or "kind" ? $"file-{ApplicationId}" : null);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Session.From(HttpContext) is not { } session)
        {
            return LocalRedirect("/ingresar?volver=%2Fmis-inscripciones");
        }
        Applications = await signedIn.MyApplicationsAsync(session, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Session.From(HttpContext) is not { } session)
        {
            return LocalRedirect("/ingresar?volver=%2Fmis-inscripciones");
        }
        if (Upload is not { Length: > 0 } file)
        {
            Problem = new ApiProblem(400, null, null, new Dictionary<string, string[]> { ["file"] = ["Elija el archivo del documento."] });
        }
        else
        {
            var uploaded = await signedIn.UploadAsync(session, ProcessId, ApplicationId, Kind ?? "", file, ct);
            if (uploaded.Value is not null)
            {
                return LocalRedirect($"/mis-inscripciones#s-{ApplicationId}");
            }
            Problem = uploaded.Problem;
        }
        Applications = await signedIn.MyApplicationsAsync(session, ct);
        Response.StatusCode = Problem!.Status;
        return Page();
    }
}
