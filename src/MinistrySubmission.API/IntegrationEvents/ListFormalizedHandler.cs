using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.BuildingBlocks.Telemetry;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.MinistrySubmission.Domain;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.IntegrationEvents;

/// <summary>A formalized list becomes a submission package (document and hash), stored before any delivery is tried; it is signed when sent.</summary>
public sealed class ListFormalizedHandler(UnitOfWorkFactory db, SubmissionDeliverySignal delivery, ILogger<ListFormalizedHandler> logger)
    : IdempotentConsumer<ListFormalized>(db, logger)
{
    protected override async Task HandleAsync(ListFormalized e, UnitOfWork uow, CancellationToken ct)
    {
        await PrepareAsync(uow, e, ct);
        uow.AfterCommit(delivery.Notify);
    }

    /// <summary>
    /// Builds and stores the package of <paramref name="e"/> in <paramref name="uow"/>. It carries the oversight report: the
    /// jurisdiction's escalated findings of earlier years that no package carried, locked and marked carried in this
    /// transaction, so a list formalized at the same moment waits and carries none of them.
    /// </summary>
    internal static async Task<SubmissionPackage> PrepareAsync(UnitOfWork uow, ListFormalized e, CancellationToken ct)
    {
        var stages = await uow.GetStageHistoryAsync(e.ProcessId, ct);
        if (stages.All(s => s.Stage != Stage.Formalization))
        {
            // StageAdvanced travels on another queue: fail so the retry finds the history complete up to formalization.
            throw new InvalidOperationException($"The stage history of process {e.ProcessId} has not reached Formalization yet");
        }
        var report = OversightReport.For(e.Jurisdiction, e.FiscalYear, await uow.LockWaitingFindingsAsync(e.Jurisdiction, ct));
        var package = SubmissionPackage.Build(Guid.CreateVersion7(uow.Now), e, stages, report);
        var (traceParent, traceState) = TraceContext.Capture();
        await uow.InsertSubmissionAsync(package, traceParent, traceState, ct);
        await uow.MarkCarriedAsync(package.SubmissionId, report, ct);
        uow.Audit(Actor.System("ministry-submission", e.Jurisdiction), "submission.prepared", e.ProcessId, package.SubmissionId.ToString(),
            new { package.ContentHash, package.TotalCost, package.Document.OwnCommitment, e.ActaReference, reportedFindings = report.Select(f => f.FindingId) });
        return package;
    }
}
