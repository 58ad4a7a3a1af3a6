using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.Apis;

public static class FinalVoteApi
{
    public static RouteGroupBuilder MapFinalVoteApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliberation/processes/{processId:guid}/final-votes")
            .WithTag("Final list vote", "At the formalization workshop the agents approve or reject the prioritised list: one secret ballot each, with a receipt; approved, the list is published as FinalListVoted.");
        api.MapPost("/", OpenVote).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Open the agents' vote on the process's coordinated list")
            .Refuses(StatusCodes.Status409Conflict, "Not in Formalization or its calendar window, no coordinated list (coordination not closed), a vote already open, or the list already approved.");
        api.MapGet("/", ListVotes).AllowAnonymous()
            .WithSummary("The process's votes on the final list, the latest last, with their counts once closed");
        api.MapGet("/{voteId:guid}", GetVote).AllowAnonymous()
            .WithSummary("A vote on the final list: the list, whether it is open, how many have voted, and the count once closed");
        api.MapPost("/{voteId:guid}/ballots", CastFinalBallot).RequireAuthorization(Roles.Agent)
            .WithSummary("Approve, reject or abstain, in secret; the answer is the receipt that finds the ballot in the published ones")
            .Refuses(StatusCodes.Status403Forbidden, "The agent may not vote (not accredited, revoked, or training required and not attended).")
            .Refuses(StatusCodes.Status409Conflict, "The agent already voted, or the vote is closed or outside Formalization's window.");
        api.MapPost("/{voteId:guid}/closure", CloseVote).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Close and count the vote: approved when approvals exceed rejections, and then published to the other services as FinalListVoted")
            .Refuses(StatusCodes.Status409Conflict, "The vote is already closed, or the process is not in Formalization.");
        api.MapGet("/{voteId:guid}/ballots", ListFinalBallots).AllowAnonymous()
            .WithSummary("Every ballot of a closed vote with its receipt and choice, and no voter")
            .Refuses(StatusCodes.Status409Conflict, "The vote is still open.");
        return api;
    }

    public sealed record FinalBallotRequest(FinalChoice? Choice);
    public sealed record FinalReceiptResponse(Guid VoteId, string Receipt);
    public sealed record FinalVoteResponse(Guid Id, Guid ProcessId, Guid ListId, IReadOnlyList<ListedProject> Projects, decimal TotalCost, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt,
        int Voters, FinalTally? Tally, bool? Approved);
    public sealed record PublishedFinalBallot(string Receipt, FinalChoice Choice);

    private static async Task<Created<FinalVoteResponse>> OpenVote(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // The agents vote on the list as coordination between levels left it, with every authority decision published beside it.
        var list = await uow.GetCoordinatedListAsync(processId, ct);
        var vote = FinalListVote.Open(process, await uow.GetCalendarAsync(processId, ct), list?.Id, list?.Items ?? [], await uow.ListFinalVotesAsync(processId, ct), uow.Now);
        await uow.InsertFinalVoteAsync(vote, ct);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "final-vote.opened", processId, vote.Id.ToString(), new { vote.ListId, Projects = vote.Projects.Select(p => p.ProposalId) });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/final-votes/{vote.Id}", ToResponse(vote, 0));
    }

    private static async Task<Ok<FinalVoteResponse[]>> ListVotes(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        var votes = new List<FinalVoteResponse>();
        foreach (var v in await uow.ListFinalVotesAsync(processId, ct))
        {
            votes.Add(ToResponse(v, await uow.CountFinalVotersAsync(v.Id, ct)));
        }
        return TypedResults.Ok(votes.ToArray());
    }

    private static async Task<Ok<FinalVoteResponse>> GetVote(Guid processId, Guid voteId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var vote = await uow.GetFinalVoteAsync(processId, voteId, ct);
        return TypedResults.Ok(ToResponse(vote, await uow.CountFinalVotersAsync(voteId, ct)));
    }

    private static async Task<Created<FinalReceiptResponse>> CastFinalBallot(Guid processId, Guid voteId, FinalBallotRequest request, ClaimsPrincipal user, UnitOfWorkFactory db,
        CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agentId = user.SubjectId();
        var vote = await uow.GetFinalVoteAsync(processId, voteId, ct);
        var eligibility = Eligibility.Of(process, agentId, await uow.FindParticipantAsync(agentId, ct));
        var ballot = vote.Cast(process, await uow.GetCalendarAsync(processId, ct), eligibility, request.Choice, uow.Now);
        await uow.InsertFinalBallotAsync(voteId, agentId, ballot, ct);
        // That the agent voted, never how: the receipt and the choice stay out of the trail.
        uow.Audit(Actor.As(user, Roles.Agent), "final-ballot.cast", processId, voteId.ToString(), new { Vote = voteId });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/final-votes/{voteId}/ballots", new FinalReceiptResponse(voteId, ballot.Receipt));
    }

    private static async Task<Ok<FinalVoteResponse>> CloseVote(Guid processId, Guid voteId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // Locked: a ballot committed after the close would not be in the count.
        var vote = await uow.GetFinalVoteAsync(processId, voteId, ct, forUpdate: true);
        var ballots = await uow.ListFinalBallotsAsync(voteId, ct);
        var voted = vote.Close(process, ballots.Select(b => b.Choice), uow.Now);
        await uow.CloseFinalVoteAsync(vote, ct);
        if (voted is not null)
        {
            uow.Publish(voted);
        }
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "final-vote.closed", processId, voteId.ToString(),
            new { vote.ListId, vote.Tally, vote.Tally!.Approved, PublishedEvent = voted?.EventId });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(vote, ballots.Count));
    }

    private static async Task<Ok<PublishedFinalBallot[]>> ListFinalBallots(Guid processId, Guid voteId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var vote = await uow.GetFinalVoteAsync(processId, voteId, ct);
        if (vote.ClosedAt is null)
        {
            throw new ConflictException("voteId", "The vote is still open; its ballots are published when it closes");
        }
        return TypedResults.Ok((await uow.ListFinalBallotsAsync(voteId, ct)).Select(b => new PublishedFinalBallot(b.Receipt, b.Choice)).ToArray());
    }

    private static FinalVoteResponse ToResponse(FinalListVote v, int voters) =>
        new(v.Id, v.ProcessId, v.ListId, v.Projects, v.TotalCost, v.OpenedAt, v.ClosedAt, voters, v.Tally, v.Tally?.Approved);
}
