using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>"Was my ballot counted?": the published ballot a receipt code belongs to, once the vote is closed.</summary>
public sealed class ComprobarModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public RoundView? Round { get; private set; }

    /// <summary>The receipt typed in: a read, so a GET form (the code is published with every ballot once the vote closes).</summary>
    [BindProperty(SupportsGet = true, Name = "codigo")] public string? Code { get; set; }
    public ReceiptLookup? Lookup { get; private set; }
    public PublishedBallotView? Ballot { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var process = api.ProcessAsync(id, ct);
        var round = api.RoundAsync(id, ct);
        if (await process is not { } p)
        {
            return NotFound();
        }
        Process = p;
        Round = await round;
        Code = Code?.Trim().ToUpperInvariant();
        if (Round is { } r && !string.IsNullOrEmpty(Code))
        {
            (Lookup, Ballot) = await api.ReceiptAsync(id, r.Id, Code, ct);
        }
        return Page();
    }

    /// <summary>The ballot's projects by title, in the voter's order, with their points on a cumulative ballot.</summary>
    public IEnumerable<(string Title, decimal? Cost, int? Points)> Chosen(PublishedBallotView ballot) =>
        ballot.Projects.Select((id, i) =>
        {
            var project = Round!.Projects.FirstOrDefault(p => p.ProposalId == id);
            return (project?.Title ?? id.ToString(), project?.Cost, ballot.Points.Count > i ? ballot.Points[i] : (int?)null);
        });
}
