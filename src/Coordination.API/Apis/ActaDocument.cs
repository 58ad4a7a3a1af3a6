using System.Globalization;
using System.Net;
using System.Text;
using PBServices.Coordination.Domain;

namespace PBServices.Coordination.Apis;

/// <summary>
/// The acta as a document to print and keep: A4 HTML, no script, the same content the hash is over, with a line
/// for each signature taken and each one still expected (the authorities and the agents present).
/// </summary>
internal static class ActaDocument
{
    private static readonly CultureInfo Peru = CultureInfo.InvariantCulture;

    public static string Render(Acta acta)
    {
        var version = acta.Current ?? throw new InvalidOperationException("No acta to render");
        var c = version.Content;
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="es">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(c.Number)} · Acta de Acuerdos y Compromisos</title>
            {Style}
            </head>
            <body>
            <h1>Acta de Acuerdos y Compromisos</h1>
            <p><strong>{E(c.Number)}</strong> · versión {c.Version} · presupuesto participativo {c.FiscalYear} · jurisdicción {E(c.Jurisdiction)} ({E(Level(c.Level))})</p>
            <p>Redactada el {c.DrawnAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Peru)} UTC. Huella SHA-256 del contenido firmado:</p>
            <p class="hash" id="hash">{E(version.ContentHash)}</p>
            <p>En el taller de formalización los agentes participantes aprobaron la lista final ({c.FinalVote.Approve} a favor, {c.FinalVote.Reject} en contra, {c.FinalVote.Abstain} abstenciones).</p>
            <h2>Proyectos priorizados</h2>
            <table>
            <thead><tr><th scope="col">N.°</th><th scope="col">Proyecto</th><th scope="col" class="amount">Costo</th><th scope="col">Cofinanciamiento</th></tr></thead>
            <tbody>

            """);
        foreach (var p in c.Projects)
        {
            var shares = p.Cofinancing.Count == 0
                ? "Íntegramente con el techo de la jurisdicción"
                : string.Join("<br>", p.Cofinancing.Select(s => $"{E(s.Party)} ({E(Aporte(s.Contribution))}): {Soles(s.Amount)}"));
            html.Append($"<tr><td>{p.Rank}</td><th scope=\"row\">{E(p.Title)}</th><td class=\"amount\">{Soles(p.Cost)}</td><td>{shares}</td></tr>\n");
        }
        html.Append($"</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"2\">Total</th><td class=\"amount\">{Soles(c.TotalCost)}</td><td></td></tr></tfoot>\n</table>\n");

        html.Append("<h2>Compromisos</h2>\n");
        if (c.Commitments.Count == 0)
        {
            html.Append("<p>Sin cofinanciamiento: la jurisdicción asume el costo de cada proyecto.</p>\n");
        }
        else
        {
            html.Append("<table>\n<thead><tr><th scope=\"col\">Parte</th><th scope=\"col\">Proyecto</th><th scope=\"col\">Aporte</th><th scope=\"col\" class=\"amount\">Monto</th><th scope=\"col\">Compromiso</th></tr></thead>\n<tbody>\n");
            foreach (var m in c.Commitments)
            {
                html.Append($"<tr><td>{E(m.Party)}</td><td>{E(m.Project)}</td><td>{E(Aporte(m.Contribution))}</td><td class=\"amount\">{Soles(m.Amount)}</td><td>{E(m.Commitment ?? "")}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }

        html.Append("<h2>Comité de Vigilancia</h2>\n<table>\n<thead><tr><th scope=\"col\">N.°</th><th scope=\"col\">Integrante</th><th scope=\"col\">Organización</th><th scope=\"col\">Votos</th></tr></thead>\n<tbody>\n");
        foreach (var m in c.Committee)
        {
            var quota = m.Quota is { } q ? $" (cuota: {E(Quota(q))})" : "";
            html.Append($"<tr><td>{m.Seat}</td><td>{E(m.FullName)}{quota}</td><td>{E(m.Organisation)}</td><td>{m.Votes}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");

        html.Append("<h2>Agentes participantes presentes</h2>\n<ul>\n");
        foreach (var a in c.Present)
        {
            html.Append($"<li>{E(a.FullName)} — {E(a.Organisation)}</li>\n");
        }
        html.Append("</ul>\n");

        html.Append("<h2>Firmas</h2>\n<div class=\"signatures\">\n");
        foreach (var s in acta.Signatures)
        {
            html.Append($"<div class=\"signature\"><strong>{E(s.Name)}</strong><br>{E(Role(s.Role))}<br><span class=\"signed\">Firmó el {s.SignedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Peru)} UTC la versión {s.Version}</span></div>\n");
        }
        var signedAgents = acta.Signatures.Where(s => s.IsAgent).Select(s => s.Signer).ToHashSet();
        foreach (var a in c.Present.Where(a => !signedAgents.Contains(a.AgentId.ToString())))
        {
            html.Append($"<div class=\"signature\"><strong>{E(a.FullName)}</strong><br>Agente participante<br><span class=\"signed\">Pendiente de firma</span></div>\n");
        }
        if (!acta.Signatures.Any(s => !s.IsAgent))
        {
            html.Append("<div class=\"signature\"><strong>Autoridad</strong><br>Concejo / Consejo de Coordinación<br><span class=\"signed\">Pendiente de firma</span></div>\n");
        }
        html.Append("</div>\n<h2>Aprobaciones</h2>\n<ul>\n");
        foreach (var body in Enum.GetValues<ApprovalBody>())
        {
            var approval = acta.Approvals.FirstOrDefault(a => a.Body == body);
            html.Append(approval is null
                ? $"<li>{E(Body(body))}: pendiente</li>\n"
                : $"<li>{E(Body(body))}: aprobó el {approval.ApprovedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Peru)} UTC</li>\n");
        }
        html.Append("</ul>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Prints on A4 with its margins; the signature lines never split across pages.</summary>
    private const string Style = """
            <style>
            @page { size: A4; margin: 18mm 16mm; }
            body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; color: #000; max-width: 178mm; margin: 0 auto; line-height: 1.35; }
            h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
            h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
            table { width: 100%; border-collapse: collapse; margin-bottom: 3mm; }
            th, td { border: 1px solid #444; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
            td.amount, th.amount { text-align: right; white-space: nowrap; }
            .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; word-break: break-all; }
            .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm 10mm; margin-top: 6mm; }
            .signature { border-top: 1px solid #000; padding-top: 1mm; min-height: 14mm; break-inside: avoid; }
            .signed { font-size: 9pt; }
            </style>
        """;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Soles(decimal amount) => "S/ " + amount.ToString("N2", Peru);

    private static string Level(Contracts.GovernmentLevel level) => level switch
    {
        Contracts.GovernmentLevel.District => "distrital",
        Contracts.GovernmentLevel.Province => "provincial",
        Contracts.GovernmentLevel.Region => "regional",
        _ => level.ToString(),
    };

    private static string Quota(Contracts.QuotaGroup group) => group switch
    {
        Contracts.QuotaGroup.Women => "mujeres",
        Contracts.QuotaGroup.Youth => "jóvenes",
        _ => "comunidades indígenas",
    };

    internal static string Role(string role) => role switch
    {
        "council" => "Concejo",
        "coordination-council" => "Consejo de Coordinación",
        "process-admin" => "Oficina de presupuesto participativo",
        _ => "Agente participante",
    };

    private static string Body(ApprovalBody body) => body == ApprovalBody.Council ? "Concejo" : "Consejo de Coordinación";

    /// <summary>The document is Spanish: the kind of contribution as the signers read it (labour and materials valued in soles).</summary>
    private static string Aporte(string contribution) => contribution switch
    {
        "Money" => "dinero",
        "Materials" => "materiales, valorizados",
        "Labour" => "mano de obra, valorizada",
        _ => contribution,
    };
}
