using System.Globalization;

namespace PBServices.Portal;

/// <summary>How the pages say things to a resident: Spanish names for the APIs' values, Peruvian number and date formats.</summary>
public static class Es
{
    public static readonly CultureInfo Peru = CultureInfo.GetCultureInfo("es-PE");

    /// <summary>Peru keeps UTC-5 all year (no daylight saving time).</summary>
    private static readonly TimeSpan PeruOffset = TimeSpan.FromHours(-5);

    /// <summary>The six stages in order (DESIGN.md section 1), as the API names them and as a resident reads them.</summary>
    public static readonly IReadOnlyList<(string Api, string Name)> Stages =
    [
        ("Preparation", "Preparación"),
        ("Concertation", "Concertación"),
        ("Coordination", "Coordinación"),
        ("Formalization", "Formalización"),
        ("Submission", "Presentación al MEF"),
        ("Oversight", "Vigilancia"),
    ];

    /// <summary>-1 for a stage this portal does not know yet.</summary>
    public static int StageIndex(string stage)
    {
        for (var i = 0; i < Stages.Count; i++)
        {
            if (Stages[i].Api == stage)
            {
                return i;
            }
        }
        return -1;
    }

    // A value the APIs add later shows as they spell it rather than breaking the page.
    public static string Stage(string stage) => StageIndex(stage) is >= 0 and var i ? Stages[i].Name : stage;

    public static string Level(string level) => level.ToLowerInvariant() switch
    {
        "district" => "Distrital",
        "province" => "Provincial",
        "region" => "Regional",
        "national" => "Nacional",
        _ => level,
    };

    public static string ProposalStatus(string status) => status switch
    {
        "Submitted" => "En evaluación técnica",
        "Viable" => "Viable",
        "NotViable" => "No viable",
        _ => status,
    };

    public static string ListStatus(string status) => status switch
    {
        "Received" => "En coordinación",
        "Formalized" => "Formalizada",
        _ => status,
    };

    public static string SubmissionStatus(string status) => status switch
    {
        "Pending" => "Pendiente de entrega al MEF",
        "Delivered" => "Entregada al MEF",
        "Rejected" => "Rechazada por el MEF",
        _ => status,
    };

    public static string Rule(string rule) => rule switch
    {
        "greedy" => "por puntaje, dentro del techo presupuestal",
        "mes" or "mes-add1" => "método de partes iguales",
        _ => rule,
    };

    /// <summary>Soles as Peru writes them (es-PE): S/ 2,500,000.00, the symbol kept on the number's line.</summary>
    public static string Soles(decimal amount) => amount.ToString("C2", Peru).Replace("S/ ", "S/\u00A0", StringComparison.Ordinal);

    public static string Number(decimal value) => value.ToString("0.##", Peru);

    public static string Percent(decimal part, decimal whole) => whole == 0 ? "—" : (part / whole).ToString("P0", Peru);

    public static string Date(DateTimeOffset when) => when.ToOffset(PeruOffset).ToString("d 'de' MMMM 'de' yyyy", Peru);
}
