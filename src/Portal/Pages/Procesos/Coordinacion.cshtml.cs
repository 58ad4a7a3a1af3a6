using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>
/// Coordination between levels as the API serves it: the list the agents agreed beside the one the authorities
/// made of it, every decision between the two with its reason and author, co-financing, and the commitment
/// against the ceiling; a province's or region's page also shows the lists below it.
/// </summary>
public sealed class CoordinacionModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public CoordinationView? Coordination { get; private set; }
    public ListsBelowView? Below { get; private set; }

    /// <summary>The projects on the list by their rank now, then those taken off it in the agents' order.</summary>
    public IReadOnlyList<CoordinationItemView> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var coordination = api.CoordinationAsync(id, ct);
        await Task.WhenAll(process, coordination);
        if (await process is not { } p)
        {
            return NotFound();
        }
        Process = p;
        Coordination = await coordination;
        if (Coordination is { } c)
        {
            Items = c.Items.OrderBy(i => i.Rank is null).ThenBy(i => i.Rank ?? i.AgreedRank ?? int.MaxValue).ToList();
            if (!string.Equals(c.Level, "District", StringComparison.OrdinalIgnoreCase))
            {
                Below = await api.ListsBelowAsync(id, ct);
            }
        }
        return Page();
    }

    public IEnumerable<CoordinationItemView> Included => Items.Where(i => i.Status == "Included");

    public string TitleOf(Guid proposalId) =>
        Coordination?.Items.FirstOrDefault(i => i.ProposalId == proposalId)?.Title
        ?? Coordination?.AgreedByAgents.FirstOrDefault(a => a.ProposalId == proposalId)?.Title
        ?? Below?.Lists.SelectMany(l => l.Items).FirstOrDefault(i => i.ProposalId == proposalId)?.Title
        ?? proposalId.ToString();

    /// <summary>The project a decision was about, by the title it had when decided (an alteration's first title).</summary>
    public string Project(DecisionView d) =>
        Detail(d, "title") switch
        {
            { ValueKind: JsonValueKind.String } t => t.GetString()!,
            { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() > 0 && a[0].ValueKind == JsonValueKind.String => a[0].GetString()!,
            _ => d.ProposalId is { } id ? TitleOf(id) : "",
        };

    /// <summary>What the decision changed, in a sentence, from its details as recorded.</summary>
    public string Change(DecisionView d)
    {
        var rank = Number(d, "rank");
        switch (d.Kind)
        {
            case "Drop":
                return $"Lo sacó de la lista{(rank is { } r ? $"; estaba en el puesto {r}" : "")}.";
            case "Reorder":
                return $"Lo movió del puesto {Number(d, "from")} al puesto {Number(d, "to")}.";
            case "Escalate":
                return $"Lo envió al nivel superior{(Text(d, "to") is { } to ? $" ({Es.Jurisdiction(to)})" : "")}{(rank is { } e ? $"; estaba en el puesto {e}" : "")}.";
            case "Include":
                var cofinanced = Detail(d, "cofinanced")?.ValueKind == JsonValueKind.True;
                return $"Lo incluyó en el puesto {rank}, elevado desde la lista {(Text(d, "from") is { } from ? Es.OfJurisdiction(from) : "de abajo")}{(cofinanced ? ", cofinanciado" : "")}.";
            case "Merge":
                var decidedIn = Text(d, "decidedIn");
                return $"Lo fusionó con «{Text(d, "intoTitle") ?? Text(d, "into")}», por ser el mismo proyecto{(decidedIn is null ? "" : $" (decisión {Es.OfJurisdiction(decidedIn)})")}.";
            case "Alter":
                var changes = new List<string>();
                if (Pair(d, "title") is { } title && title.Before.GetString() != title.After.GetString())
                {
                    changes.Add($"título: «{title.Before.GetString()}» → «{title.After.GetString()}»");
                }
                if (Pair(d, "cost") is { } cost && cost.Before.GetDecimal() != cost.After.GetDecimal())
                {
                    changes.Add($"costo: {Es.Soles(cost.Before.GetDecimal())} → {Es.Soles(cost.After.GetDecimal())}");
                }
                return changes.Count == 0 ? "Lo modificó." : $"Cambió su {string.Join("; y su ", changes)}.";
            default:
                return "";
        }
    }

    private static JsonElement? Detail(DecisionView d, string name) =>
        d.Details.ValueKind == JsonValueKind.Object && d.Details.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(DecisionView d, string name) => Detail(d, name) is { ValueKind: JsonValueKind.String } t ? t.GetString() : null;

    private static int? Number(DecisionView d, string name) => Detail(d, name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var i) ? i : null;

    private static (JsonElement Before, JsonElement After)? Pair(DecisionView d, string name) =>
        Detail(d, name) is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() == 2 && a[0].ValueKind == a[1].ValueKind
            && a[0].ValueKind is JsonValueKind.String or JsonValueKind.Number ? (a[0], a[1]) : null;
}
