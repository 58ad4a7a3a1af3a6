using Dapper;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Inbox;
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
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO submissions (id, process_id, list_id, jurisdiction, canonical_content, content_hash, signature, public_key, total_cost, status, next_attempt_at, created_at)
            VALUES (@SubmissionId, @processId, @listId, @jurisdiction, @CanonicalContent, @ContentHash, @Signature, @PublicKey, @TotalCost, @status, @now, @now)
            """,
            new
            {
                package.SubmissionId, processId = e.ProcessId, listId = e.ListId, jurisdiction = e.Jurisdiction, package.CanonicalContent, package.ContentHash,
                package.Signature, package.PublicKey, package.TotalCost, status = SubmissionStatus.Pending.ToString(), now = uow.Now,
            }, ct));
        delivery.Notify();
    }
}
