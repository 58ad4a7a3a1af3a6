using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages.Procesos;

/// <summary>The vote's result as the API counts it, every project explained, and its open data to recompute it; while open, only how many have voted.</summary>
public sealed class ResultadosModel(PublicApi api) : PageModel
{
    public ProcessView Process { get; private set; } = null!;
    public RoundView? Round { get; private set; }
    public ResultView? Result { get; private set; }
    public SupportersChart? Chart { get; private set; }
    public IReadOnlyList<PaperBatchView> PaperBatches { get; private set; } = [];

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
        if (Round is { IsOpen: false } closed)
        {
            var result = api.ResultAsync(id, closed.Id, ct);
            var batches = api.PaperBatchesAsync(id, closed.Id, ct);
            await Task.WhenAll(result, batches);
            Result = await result;
            PaperBatches = await batches;
            Chart = Result is null ? null : new SupportersChart(Result);
        }
        return Page();
    }

    public string Download(string file) => $"{PublicApi.RoundPath(Process.Id, Round!.Id)}/{file}";

    /// <summary>Greedy's selection named by the titles on the result (the API gives ids).</summary>
    public IEnumerable<string> GreedyTitles(GreedyComparisonView comparison) =>
        comparison.GreedySelected.Select(id => Result!.Projects.FirstOrDefault(p => p.ProposalId.ToString() == id)?.Title ?? id);
}
