using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>
/// An organisation registers its representative and alternate with its documents, in one form: the portal
/// registers the organisation, then the application, then each document, as the API takes them. Once the
/// organisation or the application exists, a second attempt does not create it again.
/// </summary>
[RequestSizeLimit(MaxFormBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxFormBytes)]
public sealed partial class InscripcionModel(PublicApi api, SignedInApi signedIn) : PageModel
{
    /// <summary>Three documents of up to 10 MB each (the API's limit) and the fields.</summary>
    private const long MaxFormBytes = 31 * 1024 * 1024;

    public static readonly IReadOnlyList<string> RequiredDocuments = ["RegistrationForm", "RegistryEntry", "AssemblyAct"];

    public ProcessView Process { get; private set; } = null!;
    public Session Session { get; private set; } = null!;

    [BindProperty] public OrganisationInput Organisation { get; set; } = new();
    [BindProperty] public PersonInput Representative { get; set; } = new();
    [BindProperty] public PersonInput Alternate { get; set; } = new();
    [BindProperty] public IFormFile? RegistrationForm { get; set; }
    [BindProperty] public IFormFile? RegistryEntry { get; set; }
    [BindProperty] public IFormFile? AssemblyAct { get; set; }
    /// <summary>Kept across a refused attempt, so that it is not registered twice.</summary>
    [BindProperty] public Guid? OrganisationId { get; set; }
    [BindProperty] public Guid? ApplicationId { get; set; }

    public ApiProblem? Problem { get; private set; }
    public string ProblemHeading { get; private set; } = "";
    /// <summary>The documents still to upload once the application exists.</summary>
    public IReadOnlyList<string> Missing { get; private set; } = RequiredDocuments;
    public ProblemBox Box => new(Problem, ProblemHeading, Label, FieldId);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        Organisation.Territory ??= Session.Jurisdiction;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refusal)
        {
            return refusal;
        }
        if (OrganisationId is null)
        {
            var organisation = await signedIn.CreateOrganisationAsync(Session, new
            {
                name = Organisation.Name,
                type = Organisation.Type,
                registry = new { kind = Organisation.RegistryKind, number = Organisation.RegistryNumber, date = string.IsNullOrWhiteSpace(Organisation.RegistryDate) ? null : Organisation.RegistryDate },
                territory = Organisation.Territory,
                // The API takes a number; an empty field is refused there as no members, naming the field.
                activeMembers = Organisation.ActiveMembers ?? 0,
            }, ct);
            if (organisation.Value is null)
            {
                return Refused(organisation.Problem!, "No pudimos registrar a la organización");
            }
            OrganisationId = organisation.Value.Id;
        }
        if (ApplicationId is null)
        {
            var agents = new List<object> { Representative.ToApi("Representative") };
            if (!Alternate.IsBlank)
            {
                agents.Add(Alternate.ToApi("Alternate"));
            }
            var application = await signedIn.ApplyAsync(Session, id, new
            {
                organisationId = OrganisationId,
                channel = Session.IsProcessAdmin ? "Desk" : "Online",
                agents,
            }, ct);
            if (application.Value is null)
            {
                return Refused(application.Problem!, "No pudimos presentar la inscripción");
            }
            ApplicationId = application.Value.Id;
        }

        foreach (var (kind, file) in new[] { ("RegistrationForm", RegistrationForm), ("RegistryEntry", RegistryEntry), ("AssemblyAct", AssemblyAct) })
        {
            if (file is not { Length: > 0 })
            {
                continue;
            }
            var uploaded = await signedIn.UploadAsync(Session, id, ApplicationId.Value, kind, file, ct);
            if (uploaded.Problem is { } problem)
            {
                Missing = (await signedIn.ApplicationAsync(Session, id, ApplicationId.Value, ct)).Value?.MissingDocuments ?? RequiredDocuments;
                return Refused(problem with { Errors = problem.Errors.Count > 0 ? problem.Errors : new Dictionary<string, string[]> { [kind] = [problem.Detail ?? ""] } },
                    $"La inscripción quedó presentada, pero no aceptamos «{Es.DocumentKind(kind)}»");
            }
        }
        return LocalRedirect($"/mis-inscripciones?presentada={ApplicationId}");
    }

    private IActionResult Refused(ApiProblem problem, string heading)
    {
        Problem = problem;
        ProblemHeading = heading;
        Response.StatusCode = problem.Status;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (Session.From(HttpContext) is not { } session)
        {
            return LocalRedirect($"/ingresar?volver={Uri.EscapeDataString($"/procesos/{id}/inscripcion")}");
        }
        Session = session;
        if (await api.ProcessAsync(id, ct) is not { } process)
        {
            return NotFound();
        }
        Process = process;
        return null;
    }

    private static readonly Dictionary<string, (string Label, string Id)> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["name"] = ("Nombre de la organización", "org-name"),
        ["type"] = ("Tipo de organización", "org-type"),
        ["registry"] = ("Registro", "org-registry-kind"),
        ["registry.kind"] = ("Registro en el que está inscrita", "org-registry-kind"),
        ["registry.number"] = ("Número de inscripción", "org-registry-number"),
        ["registry.date"] = ("Fecha de inscripción", "org-registry-date"),
        ["territory"] = ("Territorio (ubigeo)", "org-territory"),
        ["activeMembers"] = ("Miembros activos", "org-members"),
        ["organisationId"] = ("Organización", "org-name"),
        ["agents"] = ("Representantes", "rep-dni"),
        ["RegistrationForm"] = ("Ficha de inscripción", "doc-RegistrationForm"),
        ["RegistryEntry"] = ("Constancia de inscripción en el registro", "doc-RegistryEntry"),
        ["AssemblyAct"] = ("Acta de asamblea", "doc-AssemblyAct"),
        ["file"] = ("Documento", "doc-RegistrationForm"),
        ["kind"] = ("Documento", "doc-RegistrationForm"),
    };

    private static readonly Dictionary<string, (string Label, string Id)> PersonFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dni"] = ("DNI", "dni"),
        ["fullName"] = ("Nombre completo", "name"),
        ["gender"] = ("Género", "gender"),
        ["birthYear"] = ("Año de nacimiento", "birth"),
        ["phone"] = ("Teléfono", "phone"),
        ["email"] = ("Correo electrónico", "email"),
        ["role"] = ("Cargo", "dni"),
    };

    [GeneratedRegex(@"^agents\[(\d+)\]\.?(\w*)$", RegexOptions.IgnoreCase)]
    private static partial Regex AgentField();

    /// <summary>The form's label for a field the API names (agents[0] is the representative, agents[1] the alternate, as sent).</summary>
    public static string Label(string? field) => Find(field)?.Label ?? field ?? "";

    public static string? FieldId(string? field) => Find(field)?.Id;

    private static (string Label, string Id)? Find(string? field)
    {
        if (field is null)
        {
            return null;
        }
        if (Fields.TryGetValue(field, out var known))
        {
            return known;
        }
        if (AgentField().Match(field) is { Success: true } m)
        {
            var (who, prefix) = m.Groups[1].Value == "0" ? ("Titular", "rep") : ("Alterno", "alt");
            var (label, id) = PersonFields.TryGetValue(m.Groups[2].Value, out var p) ? p : ("datos", "dni");
            return ($"{who}: {label}", $"{prefix}-{id}");
        }
        return null;
    }
}

public sealed class OrganisationInput
{
    public string? Name { get; set; }
    public string? Type { get; set; }
    public string? RegistryKind { get; set; }
    public string? RegistryNumber { get; set; }
    public string? RegistryDate { get; set; }
    public string? Territory { get; set; }
    public int? ActiveMembers { get; set; }
}

public sealed class PersonInput
{
    public string? Dni { get; set; }
    public string? FullName { get; set; }
    public string? Gender { get; set; }
    public int? BirthYear { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }

    /// <summary>An alternate left empty is no alternate.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Dni) && string.IsNullOrWhiteSpace(FullName) && BirthYear is null
        && string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(Email);

    public object ToApi(string role) => new
    {
        role,
        dni = Dni?.Trim(),
        fullName = FullName?.Trim(),
        gender = Gender,
        birthYear = BirthYear,
        phone = string.IsNullOrWhiteSpace(Phone) ? null : Phone.Trim(),
        email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim(),
    };
}
