using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

public sealed class DetalleModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public IReadOnlyList<(ProposalView Proposal, AssessmentView? Assessment)> Proposals { get; private set; } = [];
    public PrioritizedListView? Prioritized { get; private set; }
    public CoordinatedListView? Coordinated { get; private set; }
    public SubmissionView? Submission { get; private set; }
    public RoundView? Round { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await api.ProcessAsync(id, ct) is not { } process)
        {
            return NotFound();
        }
        Process = process;

        // Independent reads, asked at once: the page waits for the slowest, not for their sum.
        var proposals = api.ProposalsAsync(id, ct);
        var prioritized = api.PrioritizedListAsync(id, ct);
        var coordinated = api.CoordinatedListAsync(id, ct);
        var submission = api.SubmissionAsync(id, ct);
        var round = api.RoundAsync(id, ct);
        await Task.WhenAll(proposals, prioritized, coordinated, submission, round);
        var assessments = await Task.WhenAll((await proposals).Select(p => api.AssessmentAsync(p.Id, ct)));
        Proposals = (await proposals).Zip(assessments).ToList();
        Prioritized = await prioritized;
        Coordinated = await coordinated;
        Submission = await submission;
        Round = await round;
        return Page();
    }
}
