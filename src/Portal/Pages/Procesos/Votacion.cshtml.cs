using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>
/// The signed-in agent's ballot, a plain form in the round's format. The portal checks the limits the page
/// states (budget, number of projects, points) so a refused choice comes back in Spanish with the choices
/// kept; the API checks everything again and has the last word.
/// </summary>
public sealed class VotacionModel(PublicApi api, SignedInApi signedIn) : PageModel
{
    /// <summary>The receipt stays on the voter's device only (a session cookie for this process's ballot pages), never in a URL the servers log.</summary>
    public const string ReceiptCookie = "pb_constancia";

    public ProcessView Process { get; private set; } = null!;
    public RoundView? Round { get; private set; }
    public Session Session { get; private set; } = null!;
    public EligibilityView? Eligibility { get; private set; }
    /// <summary>Why eligibility could not be read (another jurisdiction's process, say).</summary>
    public ApiProblem? EligibilityProblem { get; private set; }
    /// <summary>This device already holds a receipt of this process's vote.</summary>
    public bool HasReceipt { get; private set; }

    /// <summary>Approval and ranked-free formats: the projects checked; plurality: the one chosen.</summary>
    [BindProperty] public List<Guid> Selected { get; set; } = [];
    /// <summary>Cumulative: points per project.</summary>
    [BindProperty] public Dictionary<Guid, int?> PointsFor { get; set; } = [];
    /// <summary>Ranked: the position given to each project.</summary>
    [BindProperty] public Dictionary<Guid, int?> Position { get; set; } = [];

    /// <summary>Why the ballot was not taken, in Spanish, and the service's own words when the portal has no Spanish for them.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public ApiProblem? Refusal { get; private set; }
    public string? ErrorHeading { get; private set; }

    public bool IsAgent => Session.Has("agent");
    public bool MayVote => IsAgent && Round is { IsOpen: true } && Eligibility is { MayVote: true };

    public static string ReceiptPath(Guid processId) => $"/procesos/{processId}/votacion";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } early)
        {
            return early;
        }
        if (!MayVote || Round is not { } round)
        {
            // The page says why (closed, not eligible, not an agent) without a form to send.
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        var (projects, points, errors) = Read(round);
        if (errors.Count > 0)
        {
            ErrorHeading = "Su voto aún no se registró";
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var cast = await signedIn.CastBallotAsync(Session, id, round.Id, projects, points, ct);
        if (cast.Value is { } receipt)
        {
            Response.Cookies.Append(ReceiptCookie, receipt.Receipt, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = Request.IsHttps,
                Path = ReceiptPath(id),
                IsEssential = true,
            });
            return LocalRedirect($"{ReceiptPath(id)}/constancia");
        }
        Refusal = cast.Problem!;
        (ErrorHeading, Errors) = Explain(Refusal);
        Response.StatusCode = Refusal.Status;
        return Page();
    }

    /// <summary>The ballot as the API takes it, or the Spanish reasons it breaks the round's limits.</summary>
    private (List<Guid> Projects, List<int> Points, List<string> Errors) Read(RoundView round)
    {
        var onBallot = round.Projects.ToDictionary(p => p.ProposalId);
        var errors = new List<string>();
        List<Guid> projects;
        var points = new List<int>();
        switch (round.Format)
        {
            case "Cumulative":
                var given = PointsFor.Where(p => onBallot.ContainsKey(p.Key) && p.Value is not (null or 0)).ToList();
                if (given.Any(p => p.Value < 0))
                {
                    errors.Add("Los puntos no pueden ser negativos.");
                }
                projects = given.Select(p => p.Key).ToList();
                points = given.Select(p => p.Value!.Value).ToList();
                if (round.Points is { } total && points.Sum() > total)
                {
                    errors.Add($"Repartió {points.Sum()} puntos y tiene {total}: quite {points.Sum() - total}.");
                }
                break;
            case "Ranked":
                var ranked = Position.Where(p => onBallot.ContainsKey(p.Key) && p.Value is not null).ToList();
                foreach (var repeated in ranked.GroupBy(p => p.Value).Where(g => g.Count() > 1))
                {
                    errors.Add($"Dio la posición {repeated.Key} a {repeated.Count()} proyectos: cada posición es de un solo proyecto.");
                }
                projects = ranked.OrderBy(p => p.Value).Select(p => p.Key).ToList();
                break;
            default:
                projects = Selected.Where(onBallot.ContainsKey).Distinct().ToList();
                break;
        }
        if (round.Format == "Plurality" && projects.Count != 1)
        {
            errors.Add("Elija un proyecto.");
        }
        else if (projects.Count == 0 && errors.Count == 0)
        {
            errors.Add(round.Format switch
            {
                "Cumulative" => "Dé puntos al menos a un proyecto.",
                "Ranked" => "Dé una posición al menos a un proyecto.",
                _ => "Marque al menos un proyecto.",
            });
        }
        if (round.MaxProjects is { } max && projects.Count > max)
        {
            errors.Add($"Eligió {projects.Count} proyectos y puede elegir hasta {max}: quite {projects.Count - max}.");
        }
        if (round.BudgetLimit is { } limit && projects.Sum(p => onBallot[p].Cost) is var cost && cost > limit)
        {
            errors.Add($"Los proyectos que marcó suman {Es.Soles(cost)} y el límite de la cédula es {Es.Soles(limit)}: quite alguno.");
        }
        return (projects, points, errors);
    }

    /// <summary>The API's refusal of a ballot said in Spanish; its own words are still shown beneath.</summary>
    private (string Heading, List<string> Errors) Explain(ApiProblem problem)
    {
        var fields = problem.Errors.Keys.ToHashSet();
        return problem.Status switch
        {
            409 when fields.Contains("ballot") => ("Usted ya votó",
                ["Cada agente vota una sola vez y su voto ya está registrado; este segundo intento no se guardó. Si anotó su código de constancia, compruebe su voto cuando se cierre la votación."]),
            409 when fields.Contains("roundId") => ("La votación está cerrada", ["La votación se cerró y ya no recibe votos."]),
            409 when fields.Contains("calendar") => ("Hoy no se vota", ["Se vota dentro del plazo de la Concertación del calendario del proceso."]),
            409 when fields.Contains("stage") => ("El proceso ya no está en Concertación", ["La votación se hace durante la Concertación."]),
            403 => ("Usted no puede votar en este proceso", Eligibility?.Reasons.Select(Es.IneligibilityReason).ToList() is { Count: > 0 } reasons
                ? reasons : ["Su ingreso no permite votar en este proceso."]),
            _ => ("Su voto no fue aceptado", ["El servicio de votación no aceptó la cédula. Revise su elección e intente de nuevo."]),
        };
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (Session.From(HttpContext) is not { } session)
        {
            return LocalRedirect($"/ingresar?volver={Uri.EscapeDataString(ReceiptPath(id))}");
        }
        Session = session;
        var process = api.ProcessAsync(id, ct);
        var round = api.RoundAsync(id, ct);
        var eligibility = IsAgent ? signedIn.EligibilityAsync(session, id, ct) : null;
        if (await process is not { } p)
        {
            return NotFound();
        }
        Process = p;
        Round = await round;
        if (eligibility is not null)
        {
            var read = await eligibility;
            Eligibility = read.Value;
            EligibilityProblem = read.Problem;
        }
        HasReceipt = Request.Cookies.ContainsKey(ReceiptCookie);
        return null;
    }

    public bool IsChecked(Guid project) => Selected.Contains(project);
}
