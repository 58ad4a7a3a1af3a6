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
        "Observed" => "Observada",
        "Withdrawn" => "Retirada",
        _ => status,
    };

    /// <summary>The technical team's verdict on a version of a proposal (the assessment's recommendation).</summary>
    public static string Recommendation(string recommendation) => recommendation switch
    {
        "Viable" => "Viable",
        "ViableAtAdjustedCost" => "Viable con costo ajustado",
        "Observed" => "Observada: vuelve a quien la propuso",
        "NotViable" => "No viable",
        _ => recommendation,
    };

    /// <summary>Where the proposal stands in Invierte.pe's pre-investment phase, by the technical team's checklist.</summary>
    public static string PreInvestment(string status) => status switch
    {
        "NoStudy" => "Sin estudio de preinversión",
        "ProfileInPreparation" => "Ficha técnica o perfil en elaboración",
        "ProfileApproved" => "Ficha técnica o perfil aprobado",
        "ViableDeclared" => "Declarada viable en Invierte.pe",
        _ => status,
    };

    /// <summary>The level whose competence a matter is (the checklist's answer).</summary>
    public static string Competence(string level) => level switch
    {
        "District" => "Municipalidad distrital",
        "Province" => "Municipalidad provincial",
        "Region" => "Gobierno regional",
        _ => level,
    };

    /// <summary>A badge's colour class for a proposal's status: good, bad, or waiting (no class).</summary>
    public static string StatusTone(string status) => status switch
    {
        "Viable" => "ok",
        "NotViable" or "Withdrawn" => "no",
        _ => "wait",
    };

    public static string WorkshopKind(string kind) => kind switch
    {
        "Diagnosis" => "Taller de diagnóstico",
        "Prioritisation" => "Taller de priorización",
        "Formalization" => "Taller de formalización de acuerdos",
        _ => kind,
    };

    public static string WorkshopMode(string mode) => mode switch
    {
        "InPerson" => "Presencial",
        "Online" => "En línea",
        "Hybrid" => "Presencial y en línea",
        _ => mode,
    };

    /// <summary>A workshop's start as Peru writes the time: 3:30 p. m.</summary>
    public static string Time(TimeOnly time) => time.ToString("h:mm tt", Peru);

    public static string People(int n) => n == 1 ? "1 agente" : $"{n} agentes";

    /// <summary>A date and time of day in Peru, for when a version was recorded.</summary>
    public static string Moment(DateTimeOffset when) => $"{Date(when)}, {Time(TimeOnly.FromDateTime(when.ToOffset(PeruOffset).DateTime))}";

    public static string ListStatus(string status) => status switch
    {
        "Received" => "En coordinación",
        "Coordinated" => "Coordinada: es la que los agentes votan en la formalización",
        "Formalized" => "Formalizada",
        _ => status,
    };

    /// <summary>What became of a project of the agents' list in coordination between levels.</summary>
    public static string ItemStatus(string status) => status switch
    {
        "Included" => "Incluido",
        "Dropped" => "Retirado",
        "Escalated" => "Elevado al nivel superior",
        "Merged" => "Fusionado",
        _ => status,
    };

    public static string ItemTone(string status) => status switch
    {
        "Included" => "ok",
        "Dropped" => "no",
        _ => "wait",
    };

    /// <summary>An authority's decision on the agents' list, as a verb a resident reads.</summary>
    public static string DecisionKind(string kind) => kind switch
    {
        "Drop" => "Retiró un proyecto",
        "Reorder" => "Cambió el orden",
        "Alter" => "Modificó un proyecto",
        "Escalate" => "Elevó un proyecto al nivel superior",
        "Include" => "Incluyó un proyecto elevado",
        "Merge" => "Fusionó un proyecto duplicado",
        _ => kind,
    };

    public static string PartyKind(string kind) => kind switch
    {
        "Government" => "Gobierno",
        "Community" => "Comunidad",
        "Organisation" => "Organización",
        "Company" => "Empresa",
        _ => kind,
    };

    public static string Contribution(string contribution) => contribution switch
    {
        "Money" => "Dinero",
        "Materials" => "Materiales, valorizados",
        "Labour" => "Mano de obra, valorizada",
        _ => contribution,
    };

    /// <summary>A jurisdiction by its level, as its ubigeo says it (2 digits a region, 4 a province, 6 a district).</summary>
    public static string Jurisdiction(string code) =>
        code.Length != 6 ? code
        : code.EndsWith("0000", StringComparison.Ordinal) ? $"región {code}"
        : code.EndsWith("00", StringComparison.Ordinal) ? $"provincia {code}"
        : $"distrito {code}";

    /// <summary>"del distrito 230101", "de la provincia 230100": a jurisdiction after "de".</summary>
    public static string OfJurisdiction(string code) => Jurisdiction(code) switch
    {
        var j when j.StartsWith("distrito", StringComparison.Ordinal) => $"del {j}",
        var j when j.Length != code.Length => $"de la {j}",
        var j => $"de {j}",
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
    /// <summary>The Ministry's decision on a submitted project, as a resident reads it.</summary>
    public static string MinistryDecision(ProjectDecisionView? d) => d switch
    {
        null => "Sin decisión del MEF aún",
        { Decision: "Approved" } => $"Aprobado {Soles(d.ApprovedAmount)}",
        _ => $"Rechazado: {d.Reason}",
    };

    /// <summary>Where an agreed project stands, from the formalized list through the opening budget to the works handed over.</summary>
    public static string ProjectStatus(string status) => status switch
    {
        "Agreed" => "Acordado: aún sin registro en el presupuesto",
        "LeftOut" => "Fuera del presupuesto (PIA)",
        "Budgeted" => "En el presupuesto (PIA)",
        "TechnicalFile" => "Con expediente técnico aprobado",
        "Tender" => "En proceso de selección",
        "InExecution" => "En ejecución",
        "Completed" => "Obra culminada",
        "HandedOver" => "Obra entregada",
        "Postponed" => "Postergado",
        _ => status,
    };

    public static string ProjectTone(string status) => status switch
    {
        "Completed" or "HandedOver" => "ok",
        "LeftOut" or "Postponed" => "no",
        _ => "wait",
    };

    public static string MilestoneKind(string kind) => kind switch
    {
        "TechnicalFile" => "Expediente técnico aprobado",
        "Tender" => "Proceso de selección convocado",
        "WorksStart" => "Inicio de obra",
        "Progress" => "Informe de avance",
        "Completion" => "Culminación de obra",
        "Handover" => "Entrega de la obra",
        _ => kind,
    };

    public static string ChangeKind(string kind) => kind switch
    {
        "Split" => "Dividido en partes",
        "Rescoped" => "Cambio de alcance y costo",
        "Postponed" => "Postergado a otro año fiscal",
        _ => kind,
    };

    /// <summary>Who executes the works: the government itself, or a civil-society organisation under an agreement.</summary>
    public static string Executor(string kind, string? organisation) => kind switch
    {
        "Government" => "El gobierno de la jurisdicción",
        "Organisation" => organisation is { } name ? $"{name} (organización de la sociedad civil)" : "Una organización de la sociedad civil",
        _ => organisation ?? kind,
    };

    /// <summary>A co-financing party as a resident reads it: the acta's dossier names a government by the ubigeo it pays from.</summary>
    public static string Party(string kind, string party) =>
        kind == "Government" && party.Length == 6 && party.All(char.IsAsciiDigit) ? $"Gobierno {OfJurisdiction(party)}" : party;

    /// <summary>Physical progress as the progress bar's text says it, in the same format as every other percentage here.</summary>
    public static string Progress(int percent) => (percent / 100m).ToString("P0", Peru);

    public static string Soles(decimal amount) => amount.ToString("C2", Peru).Replace("S/ ", "S/\u00A0", StringComparison.Ordinal);

    public static string Number(decimal value) => value.ToString("0.##", Peru);

    public static string Percent(decimal part, decimal whole) => whole == 0 ? "—" : (part / whole).ToString("P0", Peru);

    public static string Date(DateTimeOffset when) => when.ToOffset(PeruOffset).ToString("d 'de' MMMM 'de' yyyy", Peru);

    public static string Date(DateOnly day) => day.ToString("d 'de' MMMM 'de' yyyy", Peru);

    /// <summary>A calendar window as a resident reads it: "del 5 al 16 de enero de 2027", or one day.</summary>
    public static string Window(DateWindow w) =>
        w.From == w.To ? $"el {Date(w.From)}"
        : w.From.Year != w.To.Year ? $"del {Date(w.From)} al {Date(w.To)}"
        : w.From.Month != w.To.Month ? $"del {w.From.ToString("d 'de' MMMM", Peru)} al {Date(w.To)}"
        : $"del {w.From.Day} al {Date(w.To)}";

    /// <summary>Today's date in Peru, the calendar the windows are written in.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(PeruOffset).DateTime);

    /// <summary>
    /// The calendar's windows in order: the steps of Preparation (as the API names them in openSteps), then
    /// the stages after it (as it names them in stage).
    /// </summary>
    public static readonly IReadOnlyList<(string Api, string Name, Func<CalendarView, DateWindow> Window)> Calendar =
    [
        ("Registration", "Inscripción de agentes participantes", c => c.Registration),
        ("Publication", "Publicación de la lista de agentes hábiles", c => c.Publication),
        ("Objections", "Tachas a los agentes de la lista", c => c.Objections),
        ("Accreditation", "Acreditación de agentes", c => c.Accreditation),
        ("Training", "Capacitación de agentes", c => c.Training),
        ("Concertation", "Concertación: talleres y propuestas", c => c.Concertation),
        ("Coordination", "Coordinación entre niveles de gobierno", c => c.Coordination),
        ("Formalization", "Formalización de acuerdos", c => c.Formalization),
        ("Submission", "Presentación al MEF", c => c.Submission),
        ("Oversight", "Vigilancia", c => c.Oversight),
    ];

    public static string BallotFormat(string format) => format switch
    {
        "Approval" => "Por aprobación: cada agente marca todos los proyectos que aprueba, sin pasar el techo presupuestal",
        "Ranked" => "Por orden de preferencia: cada agente ordena los proyectos del que más prefiere al que menos",
        "Cumulative" => "Por puntos: cada agente reparte sus puntos entre los proyectos que prefiere",
        "Plurality" => "Por mayoría simple: cada agente vota por un proyecto",
        _ => format,
    };

    /// <summary>What the ballot asks of the voter, in the round's format.</summary>
    public static string BallotInstruction(string format) => format switch
    {
        "Approval" => "Marque todos los proyectos que aprueba",
        "Ranked" => "Dé una posición a los proyectos que prefiere: 1 al que más prefiere",
        "Cumulative" => "Reparta sus puntos entre los proyectos que prefiere",
        "Plurality" => "Elija un proyecto",
        _ => format,
    };

    /// <summary>Why deliberation says an agent may not vote (its IneligibilityReason).</summary>
    public static string IneligibilityReason(string reason) => reason switch
    {
        "NotAccredited" => "No figura como agente acreditado de este proceso (si lo acreditaron hace unos minutos, vuelva a intentarlo en un momento).",
        "AccreditationRevoked" => "Su acreditación como agente fue revocada.",
        "TrainingNotAttended" => "Las reglas del proceso piden haber asistido a una sesión de capacitación para votar, y no hay registro de su asistencia.",
        _ => reason,
    };

    /// <summary>A project's outcome in the count (the allocation library's ProjectVerdict).</summary>
    public static string Verdict(string verdict) => verdict switch
    {
        "Funded" => "Financiado",
        "DidNotFit" => "No alcanzó el presupuesto",
        "NotReached" => "No llegó su turno",
        "Unaffordable" => "Sus votantes no alcanzaron a pagarlo",
        "NoSupport" => "Sin votos",
        _ => verdict,
    };

    /// <summary>The verdict in a sentence a resident reads beside the service's own reckoning.</summary>
    public static string VerdictExplained(ProjectResultView p) => p.Verdict switch
    {
        "Funded" => p.Round is { } r ? $"Se financia: elegido en la ronda {r} del conteo, con {Votes(p.Supporters)}." : $"Se financia, con {Votes(p.Supporters)}.",
        "DidNotFit" => $"No se financia: con {Votes(p.Supporters)}, cuando le tocó su turno el presupuesto que quedaba era menor que su costo.",
        "NotReached" => $"No se financia: con {Votes(p.Supporters)}, el conteo se detuvo antes de llegar a él.",
        "Unaffordable" => $"No se financia: lo apoyan {Votes(p.Supporters)}, pero la parte del presupuesto que les queda no alcanza para pagarlo{(p.Round is { } r ? $" (ronda {r})" : "")}.",
        "NoSupport" => "No se financia: ninguna cédula lo apoya.",
        _ => p.Verdict,
    };

    public static string Votes(int n) => n == 1 ? "1 voto" : $"{n} votos";

    public static string BallotChannel(string channel) => channel switch
    {
        "Online" => "En línea",
        "Paper" => "En papel, en un taller",
        _ => channel,
    };

    public static string RuleExplained(string rule) => rule switch
    {
        "greedy" => "Se financian los proyectos en el orden de su puntaje o votos; el que ya no cabe en el techo se salta y se sigue con el siguiente",
        "mes" => "Método de partes iguales: el techo se reparte por igual entre los agentes y cada proyecto se financia con la parte de quienes lo apoyan",
        "mes-add1" => "Método de partes iguales, completado: como el anterior, y el saldo que queda se usa aumentando la parte de cada agente hasta agotar el techo",
        _ => rule,
    };

    public static string QuotaGroup(string group) => group switch
    {
        "Women" => "Mujeres",
        "Youth" => "Jóvenes",
        "Indigenous" => "Pueblos indígenas u originarios",
        _ => group,
    };

    /// <summary>The authority an acta's signer signed as.</summary>
    public static string SignerRole(string role) => role switch
    {
        "council" => "Concejo",
        "coordination-council" => "Consejo de Coordinación",
        "process-admin" => "Oficina de presupuesto participativo",
        _ => role,
    };

    public static string QuotaBody(string body) => body switch
    {
        "Delegates" => "de los delegados",
        "DirectiveCommittee" => "del comité directivo",
        "OversightCommittee" => "del Comité de Vigilancia",
        _ => body,
    };

    public static readonly IReadOnlyList<(string Api, string Name)> OrganisationTypes =
    [
        ("NeighbourhoodCommittee", "Comité o junta vecinal"),
        ("WomensOrganisation", "Organización de mujeres"),
        ("YouthOrganisation", "Organización juvenil"),
        ("IndigenousOrPeasantCommunity", "Comunidad campesina o nativa"),
        ("VasoDeLecheOrComedor", "Vaso de Leche o comedor popular"),
        ("Ngo", "ONG"),
        ("ProfessionalOrBusinessAssociation", "Asociación profesional o empresarial"),
        ("Other", "Otra organización"),
    ];

    public static string OrganisationType(string type) => Named(OrganisationTypes, type);

    public static readonly IReadOnlyList<(string Api, string Name)> RegistryKinds =
    [
        ("Public", "Registros Públicos (SUNARP)"),
        ("Municipal", "Registro municipal de organizaciones sociales"),
    ];

    public static readonly IReadOnlyList<(string Api, string Name)> Genders = [("Female", "Mujer"), ("Male", "Hombre")];

    public static string Gender(string gender) => Named(Genders, gender);

    public static string AgentRole(string role) => role switch
    {
        "Representative" => "Titular",
        "Alternate" => "Alterno",
        _ => role,
    };

    public static string ApplicationStatus(string status) => status switch
    {
        "Submitted" => "Presentada",
        "Observed" => "Observada",
        "Eligible" => "Hábil",
        "Rejected" => "Rechazada",
        _ => status,
    };

    /// <summary>A person's status on the published list (and an agent's after accreditation).</summary>
    public static string AgentStatus(string status) => status switch
    {
        "Registered" => "Inscrito, en revisión",
        "Observed" => "Observado",
        "Eligible" => "Hábil",
        "Excluded" => "Excluido por tacha",
        "Accredited" => "Acreditado",
        "Revoked" => "Acreditación revocada",
        "Rejected" => "No hábil",
        _ => status,
    };

    public static readonly IReadOnlyList<(string Api, string Name)> DocumentKinds =
    [
        ("RegistrationForm", "Ficha de inscripción"),
        ("RegistryEntry", "Constancia de inscripción en el registro"),
        ("AssemblyAct", "Acta de asamblea que elige a los representantes"),
        ("DniScan", "Copia del DNI"),
        ("Evidence", "Prueba de una tacha"),
    ];

    public static string DocumentKind(string kind) => Named(DocumentKinds, kind);

    public static string Channel(string channel) => channel switch
    {
        "Online" => "En línea",
        "Desk" => "En ventanilla",
        _ => channel,
    };

    public static string ObjectionStatus(string status) => status switch
    {
        "Pending" => "Pendiente",
        "Upheld" => "Fundada",
        "Dismissed" => "Infundada",
        _ => status,
    };

    public static string Dimension(string dimension) => dimension switch
    {
        "Gender" => "Género",
        "OrganisationType" => "Tipo de organización",
        "Territory" => "Territorio",
        "AgeBand" => "Edad",
        _ => dimension,
    };

    /// <summary>A statistics row's value as a resident reads it; territories stay as their ubigeo.</summary>
    public static string DimensionValue(string dimension, string value) => dimension switch
    {
        "Gender" => Gender(value) switch { "Mujer" => "Mujeres", "Hombre" => "Hombres", var other => other },
        "OrganisationType" => OrganisationType(value),
        "AgeBand" => $"{value} años",
        _ => value,
    };

    public static string Role(string role) => role switch
    {
        "resident" => "Vecino o vecina",
        "agent" => "Agente participante",
        "process-admin" => "Oficina de presupuesto participativo",
        "coordination-council" => "Consejo de coordinación",
        _ => role,
    };

    public static string Bytes(long size) => size < 1024 * 1024
        ? $"{Math.Max(1, (size + 512) / 1024)} KB"
        : $"{(size / (1024m * 1024m)).ToString("0.#", Peru)} MB";

    private static string Named(IReadOnlyList<(string Api, string Name)> names, string api)
    {
        foreach (var (a, n) in names)
        {
            if (a == api)
            {
                return n;
            }
        }
        return api;
    }
}
