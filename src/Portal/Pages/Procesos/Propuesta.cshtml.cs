using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>A proposal as it stands and every earlier version, each with what changed and the assessment it received.</summary>
public sealed class PropuestaModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public ProposalDetailView Proposal { get; private set; } = null!;
    /// <summary>Newest first: a reader starts from what stands now.</summary>
    public IReadOnlyList<ProposalVersionView> Versions { get; private set; } = [];
    /// <summary>The technical team's checklist and recommendation of each version, by version number.</summary>
    public IReadOnlyDictionary<int, VersionReviewView> Reviews { get; private set; } = new Dictionary<int, VersionReviewView>();

    public async Task<IActionResult> OnGetAsync(Guid id, Guid proposalId, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var proposal = api.ProposalAsync(id, proposalId, ct);
        var versions = api.ProposalVersionsAsync(id, proposalId, ct);
        var reviews = api.AssessmentHistoryAsync(proposalId, ct);
        await Task.WhenAll(process, proposal, versions, reviews);
        if (await process is not { } p || await proposal is not { } detail)
        {
            return NotFound();
        }
        (Process, Proposal) = (p, detail);
        Versions = (await versions).OrderByDescending(v => v.Version).ToList();
        Reviews = (await reviews).ToDictionary(r => r.Version);
        return Page();
    }

    /// <summary>The fields that differ from the version before, as the reader sees them.</summary>
    public IReadOnlyList<(string Field, string Before, string After)> Changes(ProposalVersionView version)
    {
        if (Versions.FirstOrDefault(v => v.Version == version.Version - 1) is not { } before)
        {
            return [];
        }
        var changes = new List<(string, string, string)>();
        void Compare(string field, string a, string b)
        {
            if (a != b)
            {
                changes.Add((field, a, b));
            }
        }
        Compare("Título", before.Title, version.Title);
        Compare("Descripción", before.Description, version.Description);
        Compare("Costo", Es.Soles(before.Cost), Es.Soles(version.Cost));
        Compare("Ubicación", before.Location, version.Location);
        Compare("Beneficiarios", $"{before.Beneficiaries}", $"{version.Beneficiaries}");
        Compare("Objetivo del Plan de Desarrollo Concertado", before.PlanObjective, version.PlanObjective);
        return changes;
    }
}
