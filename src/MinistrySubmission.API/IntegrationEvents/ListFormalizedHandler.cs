using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
using PBServices.BuildingBlocks.Telemetry;
using PBServices.Contracts.IntegrationEvents;
using PBServices.MinistrySubmission.Domain;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.IntegrationEvents;

/// <summary>A formalized list becomes a signed submission package, stored before any delivery is tried.</summary>
public sealed class ListFormalizedHandler(UnitOfWorkFactory db, SigningKeyStore keys, SubmissionDeliverySignal delivery, ILogger<ListFormalizedHandler> logger)
    : IdempotentConsumer<ListFormalized>(db, logger)
{
    protected override async Task HandleAsync(ListFormalized e, UnitOfWork uow, CancellationToken ct)
    {
        using var key = await keys.GetAsync(uow, ct);
        var package = SubmissionPackage.Build(Guid.CreateVersion7(uow.Now), e, key);
        var (traceParent, traceState) = TraceContext.Capture();
        await uow.InsertSubmissionAsync(package, e.ProcessId, e.ListId, e.Jurisdiction, traceParent, traceState, ct);
        uow.Audit(Actor.System("ministry-submission", e.Jurisdiction), "submission.signed", e.ProcessId, package.SubmissionId.ToString(),
            new { package.ContentHash, package.TotalCost, e.ActaReference });
        uow.AfterCommit(delivery.Notify);
    }
}
