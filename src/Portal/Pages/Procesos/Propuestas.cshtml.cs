using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>The process's proposals with the technical team's verdict and, where a criteria matrix exists, their weighted total and rank.</summary>
public sealed class PropuestasModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public IReadOnlyList<ProposalView> Proposals { get; private set; } = [];
    public CriteriaRankingView? Ranking { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var proposals = api.ProposalsAsync(id, ct);
        var ranking = api.CriteriaRankingAsync(id, ct);
        await Task.WhenAll(process, proposals, ranking);
        if (await process is not { } p)
        {
            return NotFound();
        }
        Process = p;
        Ranking = await ranking;
        // Ranked ones first, in their rank, when the matrix ranks them; otherwise as the API lists them.
        Proposals = Ranking is null ? await proposals : (await proposals).OrderBy(x => RankOf(x.Id)?.Rank ?? int.MaxValue).ToList();
        return Page();
    }

    public RankedProposalView? RankOf(Guid proposalId) => Ranking?.Proposals.FirstOrDefault(r => r.ProposalId == proposalId);
}
