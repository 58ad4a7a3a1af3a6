using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.OpenApi;
using PBServices.BuildingBlocks.Security;
using PBServices.Grpc.Ministry;
using PBServices.MinistrySubmission.Domain;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.Grpc;

/// <summary>
/// Integrators' read-only view of a deployment's submissions and the Ministry's decisions. A token sees its own jurisdiction's
/// submissions; the Ministry's (PE) sees all. The streaming methods refuse before the first message is written, since the
/// shared interceptor maps refusals of unary calls only.
/// </summary>
public sealed class SubmissionQueryService(UnitOfWorkFactory db) : SubmissionQuery.SubmissionQueryBase
{
    public override async Task<SubmissionReply> GetSubmission(GetSubmissionRequest request, ServerCallContext context)
    {
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var s = await uow.GetByProcessAsync(processId, context.CancellationToken);
        context.GetHttpContext().User.EnsureActsFor(s.Jurisdiction);
        return ToReply(s);
    }

    [AnyJurisdiction("Lists the token's own jurisdiction's submissions")]
    public override async Task ListSubmissions(ListSubmissionsRequest request, IServerStreamWriter<SubmissionReply> responseStream, ServerCallContext context)
    {
        var (jurisdiction, status) = Refused(() =>
        {
            var own = context.GetHttpContext().User.Jurisdiction();
            SubmissionStatus? status = request.Status is { Length: > 0 } text
                ? Enum.GetNames<SubmissionStatus>().Contains(text, StringComparer.Ordinal)
                    ? Enum.Parse<SubmissionStatus>(text)
                    : throw new DomainException("status", $"One of {string.Join(", ", Enum.GetNames<SubmissionStatus>())}, or empty for every status")
                : null;
            if (request.FiscalYear < 0)
            {
                throw new DomainException("fiscal_year", "A fiscal year, or 0 for every year");
            }
            return (own == PbClaims.NationalJurisdiction ? null : own, status);
        });
        await using var uow = await db.BeginAsync(context.CancellationToken);
        await foreach (var s in uow.ListSubmissionsAsync(jurisdiction, request.FiscalYear == 0 ? null : request.FiscalYear, status, context.CancellationToken))
        {
            await responseStream.WriteAsync(ToReply(s), context.CancellationToken);
        }
    }

    public override async Task ListDecisions(ListDecisionsRequest request, IServerStreamWriter<ProjectDecisionReply> responseStream, ServerCallContext context)
    {
        var processId = Refused(() => Identifiers.Parse(request.ProcessId, "process_id"));
        await using var uow = await db.BeginAsync(context.CancellationToken);
        try
        {
            var s = await uow.GetByProcessAsync(processId, context.CancellationToken);
            context.GetHttpContext().User.EnsureActsFor(s.Jurisdiction);
        }
        catch (Exception e) when (e is NotFoundException or ForbiddenException)
        {
            throw StatusOf(e);
        }
        await foreach (var d in uow.ListDecisionsAsync(processId, context.CancellationToken))
        {
            await responseStream.WriteAsync(new ProjectDecisionReply
            {
                DecisionId = d.DecisionId.ToString(),
                ProcessId = d.ProcessId.ToString(),
                ProposalId = d.ProposalId.ToString(),
                Decision = d.Decision,
                ApprovedAmount = Soles(d.ApprovedAmount),
                Reason = d.Reason,
                DecidedAt = d.DecidedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            }, context.CancellationToken);
        }
    }

    private static T Refused<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (Exception e) when (e is DomainException or ForbiddenException or NotFoundException)
        {
            throw StatusOf(e);
        }
    }

    private static RpcException StatusOf(Exception e) => e switch
    {
        DomainException d => new RpcException(new Status(StatusCode.InvalidArgument, $"{d.Field}: {d.Message}")),
        ForbiddenException => new RpcException(new Status(StatusCode.PermissionDenied, e.Message)),
        _ => new RpcException(new Status(StatusCode.NotFound, e.Message)),
    };

    private static string Soles(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static SubmissionReply ToReply(SubmissionView s)
    {
        var reply = new SubmissionReply
        {
            SubmissionId = s.SubmissionId.ToString(),
            ProcessId = s.ProcessId.ToString(),
            Jurisdiction = s.Jurisdiction,
            Status = s.Status.ToString(),
            ContentHash = s.ContentHash,
            IntakeReceipt = s.IntakeReceipt ?? "",
            TotalCost = Soles(s.TotalCost),
            FiscalYear = s.FiscalYear,
            RejectionReason = s.RejectionReason ?? "",
            ReportedFindings = s.ReportedFindings,
        };
        reply.Projects.AddRange(s.Projects.Select(p => new SubmittedProject
        {
            ProposalId = p.ProposalId.ToString(), Title = p.Title, Cost = Soles(p.Cost), Rank = p.Rank, Decision = p.Decision?.Decision ?? "",
        }));
        return reply;
    }
}
