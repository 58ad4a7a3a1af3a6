using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.OpenApi;
using PBServices.BuildingBlocks.Security;
using PBServices.Grpc.Intake;
using PBServices.NationalIntake.Domain;
using PBServices.NationalIntake.Infrastructure;

namespace PBServices.NationalIntake.Grpc;

/// <summary>The intake's records for officers (everything), deployments and integrators (their jurisdiction); the aggregate for anyone.</summary>
[Authorize(Policy = IntakeRoles.Reader)]
public sealed class IntakeQueryService(UnitOfWorkFactory db) : IntakeQuery.IntakeQueryBase
{
    [AnyJurisdiction("Streams the submissions of the token's own jurisdiction, or of one it covers")]
    public override async Task ListSubmissions(ListReceivedRequest request, IServerStreamWriter<ReceivedSubmission> responseStream, ServerCallContext context)
    {
        var scope = Scope(context, request.Jurisdiction);
        // 0 is "every year", as proto3 sends an unset field; any other year is one the aggregate also accepts.
        if (request.FiscalYear is not 0 and (< 2000 or > 2200))
        {
            throw new DomainException("fiscal_year", "A fiscal year between 2000 and 2200, or 0 for all");
        }
        await using var uow = await db.BeginAsync(context.CancellationToken);
        await foreach (var s in uow.StreamSubmissionsAsync(scope, request.FiscalYear, context.CancellationToken))
        {
            await responseStream.WriteAsync(s.ToReply(), context.CancellationToken);
        }
    }

    public override async Task<ReceivedSubmissionDetail> GetSubmission(GetReceivedRequest request, ServerCallContext context)
    {
        var submissionId = Identifiers.Parse(request.SubmissionId, "submission_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var detail = await uow.GetSubmissionAsync(submissionId, context.CancellationToken);
        context.GetHttpContext().User.EnsureCovers(detail.Submission.Jurisdiction);
        var reply = new ReceivedSubmissionDetail { Submission = detail.Submission.ToReply(), ActaReference = detail.ActaReference };
        reply.Projects.AddRange(detail.Projects.Select(p => new ReceivedProject
        {
            ProposalId = p.ProposalId.ToString(),
            Title = p.Title,
            Cost = Replies.Amount(p.Cost),
            Rank = p.Rank,
            PlanObjective = p.PlanObjective,
            Decision = p.Decision ?? "",
            ApprovedAmount = p.ApprovedAmount is { } a ? Replies.Amount(a) : "",
            Reason = p.Reason ?? "",
        }));
        reply.OversightReport.AddRange(detail.OversightReport.Select(f => f.ToReply()));
        return reply;
    }

    [AnyJurisdiction("Streams the decisions of the token's own jurisdiction")]
    public override async Task ListDecisions(StreamDecisionsRequest request, IServerStreamWriter<ProjectDecision> responseStream, ServerCallContext context)
    {
        var scope = Scope(context, "");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        await foreach (var d in uow.StreamDecisionsAsync(scope, request.AfterSequence, context.CancellationToken))
        {
            await responseStream.WriteAsync(d.ToReply(), context.CancellationToken);
        }
    }

    [AllowAnonymous]
    public override async Task<AggregateReply> GetAggregate(AggregateRequest request, ServerCallContext context)
    {
        var aggregate = await NationalAggregate.ReadAsync(db, request.FiscalYear, "fiscal_year", context.CancellationToken);
        var reply = new AggregateReply { FiscalYear = aggregate.FiscalYear, TotalApproved = Replies.Amount(aggregate.TotalApproved) };
        reply.Rows.AddRange(aggregate.Rows.Select(r => new PBServices.Grpc.Intake.AggregateRow
        {
            Region = r.Region,
            Level = r.Level,
            PlanObjective = r.PlanObjective,
            FiscalYear = r.FiscalYear,
            Projects = r.Projects,
            ApprovedAmount = Replies.Amount(r.ApprovedAmount),
        }));
        return reply;
    }

    /// <summary>What the caller asked to see, refused when outside its jurisdiction; empty asks for all it may see.</summary>
    private static string Scope(ServerCallContext context, string requested)
    {
        var user = context.GetHttpContext().User;
        var own = user.Jurisdiction();
        if (string.IsNullOrEmpty(requested))
        {
            return own;
        }
        // Streams are not covered by the unary interceptor: the statuses are set here.
        if (!(requested == PbClaims.NationalJurisdiction || requested.Length == 6 && requested.All(char.IsAsciiDigit)))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "jurisdiction: a six-digit ubigeo code, or PE"));
        }
        return IntakeJurisdiction.Covers(own, requested)
            ? requested
            : throw new RpcException(new Status(StatusCode.PermissionDenied, $"The token acts for jurisdiction '{own}', which does not include '{requested}'"));
    }
}
