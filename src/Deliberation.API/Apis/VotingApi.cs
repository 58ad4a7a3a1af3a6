using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PBServices.Allocation;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.Apis;

public static class VotingApi
{
    public static RouteGroupBuilder MapVotingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliberation/processes/{processId:guid}/rounds")
            .WithTag("Voting", "The agents' vote on the viable proposals: secret ballots with receipts, one per voter, counted by the process's allocation rule; the ballots and the result are open data.");
        api.MapPost("/", OpenRound).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Open the vote on every viable proposal, in the ballot format the process's rules chose")
            .Refuses(StatusCodes.Status409Conflict, "Not in Concertation or its calendar window, proposals still wait for assessment, none is viable, or the process already has its vote.");
        api.MapGet("/", ListRounds).AllowAnonymous()
            .WithSummary("The process's votes (none until the process-admin opens one)");
        api.MapGet("/{roundId:guid}", GetRound).AllowAnonymous()
            .WithSummary("A voting round: its format, limits, projects, whether it is open, and how many have voted");
        api.MapPost("/{roundId:guid}/ballots", CastBallot).RequireAuthorization(Roles.Agent)
            .WithSummary("Cast a secret ballot; the answer is the receipt that finds it in the published ballots")
            .Refuses(StatusCodes.Status403Forbidden, "The agent may not vote (not accredited, revoked, or training or a prioritisation workshop required and not attended).")
            .Refuses(StatusCodes.Status409Conflict, "The agent already voted, or the round is closed or outside its window.");
        api.MapPost("/{roundId:guid}/paper-ballots", EnterPaperBallot).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Enter one paper ballot from an in-person workshop, in its batch; it counts as one ballot and gets a receipt to hand back")
            .Refuses(StatusCodes.Status409Conflict, "The round is closed or outside its window.");
        api.MapPost("/{roundId:guid}/paper-batches", ImportPaperBatch).RequireAuthorization(Roles.ProcessAdmin).DisableAntiforgery()
            .WithSummary("Import a workshop's paper ballots from a file (form fields 'batch' and 'file'): a CSV with a header naming the columns projects and, for cumulative ballots, points (one ballot per row; projects as proposal ids or the round's project numbers, ';'-separated) or a Pabulib .pb file whose PROJECTS are the round's projects; every ballot is checked as one entered by hand and the first bad one refuses the whole file")
            .Refuses(StatusCodes.Status400BadRequest, "A row is malformed or breaks the round's rules: the problem names its line and field, and nothing is stored.")
            .Refuses(StatusCodes.Status409Conflict, "A batch of that name was already imported, or the round is closed or outside its window.");
        api.MapGet("/{roundId:guid}/paper-batches", ListPaperBatches).AllowAnonymous()
            .WithSummary("The paper-ballot batches imported into the round: name, file format, number of ballots and the file's SHA-256");
        api.MapGet("/{roundId:guid}/paper-batches/{batchId:guid}/receipts.csv", DownloadBatchReceipts).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("The receipts of an imported batch as CSV (line of the file, receipt, projects, points), for the officer to hand out");
        api.MapPost("/{roundId:guid}/closure", CloseRound).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Close the vote and count it")
            .Refuses(StatusCodes.Status409Conflict, "The round is already closed, or the process is past Concertation.");
        api.MapGet("/{roundId:guid}/result", GetResult).AllowAnonymous()
            .WithSummary("The result of a closed vote: every project funded or not, and why, under the process's rule")
            .Refuses(StatusCodes.Status409Conflict, "The round is still open.");
        api.MapGet("/{roundId:guid}/ballots", ListBallots).AllowAnonymous()
            .WithSummary("Every ballot of a closed vote with its receipt, and no voter")
            .Refuses(StatusCodes.Status409Conflict, "The round is still open.");
        api.MapGet("/{roundId:guid}/receipts/{receipt}", FindReceipt).AllowAnonymous()
            .WithSummary("Was my ballot counted? The ballot a receipt belongs to, once the vote is closed")
            .Refuses(StatusCodes.Status409Conflict, "The round is still open.");
        api.MapGet("/{roundId:guid}/election.pb", DownloadElection).AllowAnonymous()
            .WithSummary("The closed vote as a Pabulib file: recompute the result with `pbtool allocate`")
            .Refuses(StatusCodes.Status409Conflict, "The round is still open.");
        api.MapGet("/{roundId:guid}/ballots.csv", DownloadBallotsCsv).AllowAnonymous()
            .WithSummary("Every ballot of a closed vote as CSV: receipt, channel, projects and points (';'-separated), no voter")
            .Refuses(StatusCodes.Status409Conflict, "The round is still open.");
        api.MapGet("/{roundId:guid}/result.csv", DownloadResultCsv).AllowAnonymous()
            .WithSummary("The result of a closed vote as CSV: every project with its cost, supporters, score, verdict, round of funding and reason")
            .Refuses(StatusCodes.Status409Conflict, "The round is still open.");
        return api;
    }

    public sealed record OpenRoundRequest(decimal? BudgetLimit, int? MaxProjects, int? Points);
    public sealed record RoundResponse(Guid Id, Guid ProcessId, BallotFormat Format, decimal? BudgetLimit, int? MaxProjects, int? Points, IReadOnlyList<RoundProject> Projects,
        DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int Voters);
    public sealed record BallotRequest(List<Guid>? Projects, List<int>? Points);
    public sealed record ReceiptResponse(Guid RoundId, string Receipt);
    public sealed record PaperBallotRequest(string? Batch, List<Guid>? Projects, List<int>? Points);
    public sealed record BatchReceipt(int Line, string Receipt);
    public sealed record PaperBatchResponse(Guid Id, Guid RoundId, string Name, PaperFileFormat Format, int Ballots, string Sha256, IReadOnlyList<BatchReceipt> Receipts);
    public sealed record PaperBatchSummary(Guid Id, string Name, PaperFileFormat Format, int Ballots, string Sha256, DateTimeOffset ImportedAt);
    public sealed record PublishedBallot(string Receipt, BallotChannel Channel, IReadOnlyList<Guid> Projects, IReadOnlyList<int> Points);
    public sealed record ProjectResult(Guid ProposalId, string Title, decimal Cost, decimal Score, int Supporters, ProjectVerdict Verdict, int? Round, string Reason);
    public sealed record ResultResponse(Guid RoundId, string Rule, decimal Budget, int Ballots, int OnlineBallots, int PaperBallots, decimal Spent, IReadOnlyList<ProjectResult> Projects,
        GreedyComparison? ComparedWithGreedy);

    private static async Task<Created<RoundResponse>> OpenRound(Guid processId, OpenRoundRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var round = VotingRound.Open(process, await uow.GetCalendarAsync(processId, ct), await uow.GetProposalsAsync(processId, ct, forShare: true),
            request.BudgetLimit, request.MaxProjects, request.Points, uow.Now);
        await uow.InsertRoundAsync(round, ct);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "round.opened", processId, round.Id.ToString(),
            new { round.Format, round.BudgetLimit, round.MaxProjects, round.Points, Projects = round.Projects.Select(p => p.ProposalId) });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/rounds/{round.Id}", ToResponse(round, 0));
    }

    private static async Task<Ok<RoundResponse[]>> ListRounds(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessAsync(processId, ct);
        RoundResponse[] rounds = await uow.FindRoundOfProcessAsync(processId, ct) is { } round ? [ToResponse(round, await uow.CountVotersAsync(round.Id, ct))] : [];
        return TypedResults.Ok(rounds);
    }

    private static async Task<Ok<RoundResponse>> GetRound(Guid processId, Guid roundId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var round = await uow.GetRoundAsync(processId, roundId, ct);
        return TypedResults.Ok(ToResponse(round, await uow.CountVotersAsync(roundId, ct)));
    }

    private static async Task<Created<ReceiptResponse>> CastBallot(Guid processId, Guid roundId, BallotRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var agentId = user.SubjectId();
        var round = await uow.GetRoundAsync(processId, roundId, ct);
        var eligibility = Eligibility.Of(process, agentId, await uow.FindParticipantAsync(agentId, ct));
        var ballot = round.Cast(process, await uow.GetCalendarAsync(processId, ct), eligibility, new BallotChoice(request.Projects ?? [], request.Points ?? []), uow.Now);
        await uow.InsertBallotAsync(roundId, agentId, ballot, ct);
        // The trail records that the agent voted, never what: the ballot's id and receipt stay out of it.
        uow.Audit(Actor.As(user, Roles.Agent), "ballot.cast", processId, roundId.ToString(), new { Round = roundId });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/rounds/{roundId}/receipts/{ballot.Receipt}", new ReceiptResponse(roundId, ballot.Receipt));
    }

    private static async Task<Created<ReceiptResponse>> EnterPaperBallot(Guid processId, Guid roundId, PaperBallotRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        var batch = Guard.Text("batch", request.Batch, 200);
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var round = await uow.GetRoundAsync(processId, roundId, ct);
        var ballot = round.EnterPaper(process, await uow.GetCalendarAsync(processId, ct), new BallotChoice(request.Projects ?? [], request.Points ?? []), uow.Now);
        await uow.InsertBallotAsync(roundId, null, ballot, ct);
        // The officer and the batch are on record; the ballot itself, as every ballot, is not in the trail.
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "ballot.paper-entered", processId, roundId.ToString(), new { Round = roundId, Batch = batch });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/rounds/{roundId}/receipts/{ballot.Receipt}", new ReceiptResponse(roundId, ballot.Receipt));
    }

    private static async Task<Created<PaperBatchResponse>> ImportPaperBatch(Guid processId, Guid roundId, [FromForm] string? batch, IFormFile? file, ClaimsPrincipal user,
        UnitOfWorkFactory db, CancellationToken ct)
    {
        if (file is { Length: > PaperBallotImport.MaxBytes })
        {
            throw new DomainException("file", $"At most {PaperBallotImport.MaxBytes:N0} bytes; this file has {file.Length:N0}");
        }
        byte[]? content = null;
        if (file is not null)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
        }
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // Locked like the closure, so a batch is wholly in the count or wholly refused.
        var round = await uow.GetRoundAsync(processId, roundId, ct, forUpdate: true);
        var imported = PaperBallotImport.Import(process, await uow.GetCalendarAsync(processId, ct), round, batch, content, uow.Now);
        var officer = Actor.As(user, Roles.ProcessAdmin);
        await uow.InsertPaperBatchAsync(imported, officer.Subject, ct);
        // One entry for the batch: who imported what file, and how many ballots; never the ballots or receipts.
        uow.Audit(officer, "ballots.paper-imported", processId, imported.Id.ToString(),
            new { Round = roundId, Batch = imported.Name, imported.Format, Ballots = imported.Ballots.Count, imported.Sha256, File = file?.FileName });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/deliberation/processes/{processId}/rounds/{roundId}/paper-batches/{imported.Id}/receipts.csv",
            new PaperBatchResponse(imported.Id, roundId, imported.Name, imported.Format, imported.Ballots.Count, imported.Sha256,
                imported.Ballots.Select(b => new BatchReceipt(b.Line, b.Ballot.Receipt)).ToList()));
    }

    private static async Task<Ok<PaperBatchSummary[]>> ListPaperBatches(Guid processId, Guid roundId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetRoundAsync(processId, roundId, ct);
        return TypedResults.Ok((await uow.ListPaperBatchesAsync(roundId, ct))
            .Select(b => new PaperBatchSummary(b.Id, b.Name, Enum.Parse<PaperFileFormat>(b.Format), b.Ballots, b.Sha256, b.ImportedAt)).ToArray());
    }

    private static async Task<FileContentHttpResult> DownloadBatchReceipts(Guid processId, Guid roundId, Guid batchId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        await uow.GetRoundAsync(processId, roundId, ct);
        var (batch, ballots) = await uow.FindPaperBatchAsync(roundId, batchId, ct) ?? throw new NotFoundException("Paper-ballot batch", batchId);
        var csv = new StringBuilder();
        Csv.AppendRow(csv, "line", "receipt", "projects", "points");
        foreach (var (line, b) in ballots)
        {
            Csv.AppendRow(csv, line.ToString(CultureInfo.InvariantCulture), b.Receipt, string.Join(';', b.Choice.Projects), string.Join(';', b.Choice.Points));
        }
        return CsvFile(csv, $"receipts_{Slug(batch.Name)}.csv");
    }

    private static async Task<FileContentHttpResult> DownloadBallotsCsv(Guid processId, Guid roundId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        await ClosedRoundAsync(uow, processId, roundId, ct);
        var csv = new StringBuilder();
        Csv.AppendRow(csv, "receipt", "channel", "projects", "points");
        foreach (var b in await uow.ListBallotsAsync(roundId, ct))
        {
            Csv.AppendRow(csv, b.Receipt, b.Channel.ToString(), string.Join(';', b.Choice.Projects), string.Join(';', b.Choice.Points));
        }
        return CsvFile(csv, $"Peru_{process.Jurisdiction}_{process.FiscalYear}_ballots.csv");
    }

    private static async Task<FileContentHttpResult> DownloadResultCsv(Guid processId, Guid roundId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var round = await ClosedRoundAsync(uow, processId, roundId, ct);
        var result = Count(round, await uow.TallyAsync(process, round, ct));
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder();
        Csv.AppendRow(csv, "proposal_id", "title", "cost", "supporters", "score", "verdict", "round", "reason", "rule");
        foreach (var p in result.Projects)
        {
            Csv.AppendRow(csv, p.ProposalId.ToString(), p.Title, p.Cost.ToString(inv), p.Supporters.ToString(inv), p.Score.ToString(inv), p.Verdict.ToString(),
                p.Round?.ToString(inv) ?? "", p.Reason, result.Rule);
        }
        return CsvFile(csv, $"Peru_{process.Jurisdiction}_{process.FiscalYear}_result.csv");
    }

    private static FileContentHttpResult CsvFile(StringBuilder csv, string name) =>
        TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", name);

    private static string Slug(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    private static async Task<Ok<ResultResponse>> CloseRound(Guid processId, Guid roundId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // Locked: a ballot committed after the close would not be in the count.
        var round = await uow.GetRoundAsync(processId, roundId, ct, forUpdate: true);
        round.Close(process, uow.Now);
        await uow.CloseRoundAsync(round, ct);
        var result = Count(round, await uow.TallyAsync(process, round, ct));
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "round.closed", processId, roundId.ToString(),
            new { result.Rule, result.Ballots, Funded = result.Projects.Where(p => p.Verdict == ProjectVerdict.Funded).Select(p => p.ProposalId), result.Spent });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(result);
    }

    private static async Task<Ok<ResultResponse>> GetResult(Guid processId, Guid roundId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var round = await ClosedRoundAsync(uow, processId, roundId, ct);
        return TypedResults.Ok(Count(round, await uow.TallyAsync(process, round, ct)));
    }

    private static async Task<Ok<PublishedBallot[]>> ListBallots(Guid processId, Guid roundId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await ClosedRoundAsync(uow, processId, roundId, ct);
        return TypedResults.Ok((await uow.ListBallotsAsync(roundId, ct)).Select(Publish).ToArray());
    }

    private static async Task<Results<Ok<PublishedBallot>, NotFound>> FindReceipt(Guid processId, Guid roundId, string receipt, UnitOfWorkFactory db, CancellationToken ct)
    {
        var code = receipt.Trim().ToUpperInvariant();
        if (!Receipts.IsWellFormed(code))
        {
            throw new DomainException("receipt", "A receipt reads like 7KQ4-M2XD-9HTE: three groups of four letters and digits");
        }
        await using var uow = await db.BeginAsync(ct);
        await ClosedRoundAsync(uow, processId, roundId, ct);
        return await uow.FindBallotAsync(roundId, code, ct) is { } ballot ? TypedResults.Ok(Publish(ballot)) : TypedResults.NotFound();
    }

    private static async Task<FileContentHttpResult> DownloadElection(Guid processId, Guid roundId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var round = await ClosedRoundAsync(uow, processId, roundId, ct);
        var text = RoundElection.ToPabulib(process, round, await uow.ListBallotsAsync(roundId, ct));
        return TypedResults.File(Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", $"Peru_{process.Jurisdiction}_{process.FiscalYear}.pb");
    }

    /// <summary>Ballots and results are published once the vote closes, never while it runs.</summary>
    private static async Task<VotingRound> ClosedRoundAsync(UnitOfWork uow, Guid processId, Guid roundId, CancellationToken ct)
    {
        var round = await uow.GetRoundAsync(processId, roundId, ct);
        return round.ClosedAt is null ? throw new ConflictException("roundId", "The vote is still open; ballots and results are published when it closes") : round;
    }

    internal static ResultResponse Count(VotingRound round, RoundCount count)
    {
        var outcome = count.Outcome;
        var projects = round.Projects.ToDictionary(p => p.ProposalId.ToString());
        return new ResultResponse(round.Id, outcome.Rule.Name(), outcome.Budget, count.Ballots, count.OnlineBallots, count.PaperBallots,
            outcome.Spent,
            outcome.Projects.Select(p => new ProjectResult(Guid.Parse(p.Id), projects[p.Id].Title, p.Cost, p.Score, p.Supporters, p.Verdict, p.Round, p.Reason)).ToList(),
            count.ComparedWithGreedy);
    }

    private static PublishedBallot Publish(Domain.CastBallot b) => new(b.Receipt, b.Channel, b.Choice.Projects, b.Choice.Points);

    private static RoundResponse ToResponse(VotingRound r, int voters) =>
        new(r.Id, r.ProcessId, r.Format, r.BudgetLimit, r.MaxProjects, r.Points, r.Projects, r.OpenedAt, r.ClosedAt, voters);
}
