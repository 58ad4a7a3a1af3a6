using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>
/// Signing in on a development deployment: the registration service issues a token for the role chosen.
/// A production deployment signs people in with its OpenID Connect provider, so this page does not exist there.
/// </summary>
public sealed class IngresarModel(SignedInApi api, IConfiguration configuration, TimeProvider clock) : PageModel
{
    public static readonly IReadOnlyList<string> RolesOffered = ["resident", "agent", "process-admin"];

    [BindProperty] public string? Role { get; set; } = "resident";
    [BindProperty] public string? Jurisdiction { get; set; }
    [BindProperty] public string? Name { get; set; }
    /// <summary>An agent's token names the accredited agent (deliberation reads who votes from it), not the person's name.</summary>
    [BindProperty] public string? AgentCode { get; set; }
    [BindProperty(SupportsGet = true, Name = "volver")] public string? Back { get; set; }

    public ApiProblem? Problem { get; private set; }
    public ProblemBox Box => new(Problem, "No pudimos hacerle ingresar", Label, FieldId);

    public IActionResult OnGet() => configuration.GetValue<bool>("Portal:DevSignIn") ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!configuration.GetValue<bool>("Portal:DevSignIn"))
        {
            return NotFound();
        }
        if (Role is null || !RolesOffered.Contains(Role))
        {
            Problem = new ApiProblem(400, null, null, new Dictionary<string, string[]> { ["roles"] = ["Elija cómo participa."] });
        }
        else if (string.IsNullOrWhiteSpace(Name))
        {
            Problem = new ApiProblem(400, null, null, new Dictionary<string, string[]> { ["subject"] = ["Escriba su nombre."] });
        }
        else if (Role == "agent" && !Guid.TryParse(AgentCode?.Trim(), out _))
        {
            Problem = new ApiProblem(400, null, null, new Dictionary<string, string[]> { ["agent"] = ["Escriba su código de agente acreditado."] });
        }
        else
        {
            var subject = Role == "agent" ? Guid.Parse(AgentCode!.Trim()).ToString() : Name.Trim();
            var token = await api.DevTokenAsync(subject, Role, Jurisdiction?.Trim() ?? "", ct);
            Problem = token.Problem;
            if (token.Value is { } t && Session.Read(t.access_token, clock) is { } session)
            {
                Session.Keep(HttpContext, t.access_token, session.Expires);
                return LocalRedirect(Url.IsLocalUrl(Back) && !Back.StartsWith("/ingresar", StringComparison.Ordinal) ? Back : "/");
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public string Label(string? field) => field switch
    {
        "roles" => "Cómo participa",
        "jurisdiction" => "Código de jurisdicción",
        "subject" => "Nombre",
        "agent" => "Código de agente acreditado",
        _ => field ?? "",
    };

    public string? FieldId(string? field) => field switch
    {
        "roles" => "role-resident",
        "jurisdiction" => "jurisdiction",
        "subject" => "name",
        "agent" => "agent-code",
        _ => null,
    };
}
