using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.OpenApi;
using PBServices.BuildingBlocks.Security;
using PBServices.Grpc.Intake;
using PBServices.NationalIntake.Domain;
using PBServices.NationalIntake.Infrastructure;

namespace PBServices.NationalIntake.Grpc;

/// <summary>What an enrolled deployment calls: it delivers its signed packages and follows the decisions on them.</summary>
[Authorize(Policy = IntakeRoles.Deployment)]
public sealed class MinistryIntakeService(SubmissionIntake intake, UnitOfWorkFactory db) : MinistryIntake.MinistryIntakeBase
{
    public override async Task<SubmitReply> Submit(SubmitRequest request, ServerCallContext context)
    {
        var sender = Sender(context);
        var envelope = new SubmissionEnvelope(request.SubmissionId, request.Jurisdiction, request.ProcessId, request.CanonicalContent, request.ContentHash,
            request.Signature, request.KeyId);
        var outcome = await intake.SubmitAsync(envelope, sender, context.CancellationToken);
        return outcome.Receipt is { } receipt
            ? new SubmitReply { Receipt = receipt.Receipt, ReceivedAt = Replies.Iso(receipt.ReceivedAt), Status = "Accepted" }
            : throw new RpcException(new Status(outcome.Status, outcome.Message));
    }

    [AnyJurisdiction("Streams the decisions on the sending deployment's own jurisdiction")]
    public override async Task StreamDecisions(StreamDecisionsRequest request, IServerStreamWriter<ProjectDecision> responseStream, ServerCallContext context)
    {
        var jurisdiction = Sender(context).Jurisdiction;
        await using var uow = await db.BeginAsync(context.CancellationToken);
        await foreach (var d in uow.StreamDecisionsAsync(jurisdiction, request.AfterSequence, context.CancellationToken))
        {
            await responseStream.WriteAsync(d.ToReply(), context.CancellationToken);
        }
    }

    private static Actor Sender(ServerCallContext context)
    {
        try
        {
            return Actor.As(context.GetHttpContext().User, IntakeRoles.Deployment);
        }
        catch (ForbiddenException e)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, e.Message));
        }
    }
}
