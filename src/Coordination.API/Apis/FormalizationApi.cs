using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;
using PBServices.Coordination.Domain;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.Apis;

/// <summary>
/// The formalization workshop: who is present, the oversight committee's election, the Acta de Acuerdos y
/// Compromisos drawn up after the final vote, its signatures and the two approvals that formalize the list.
/// </summary>
public static class FormalizationApi
{
    /// <summary>Who signs for the government: the council, the coordination council and the PB office of the jurisdiction.</summary>
    private static readonly string[] Authorities = [Roles.Council, Roles.CoordinationCouncil, Roles.ProcessAdmin];

    public static IEndpointRouteBuilder MapFormalizationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/coordination/processes/{processId:guid}")
            .WithTag("Formalization", "The formalization workshop: the agents present, the oversight committee's election, the signed Acta de Acuerdos y Compromisos and its approval, which formalizes the list.");
        api.MapGet("/formalization/present", ListPresent).AllowAnonymous()
            .WithName("ListPresentAgents")
            .WithSummary("The accredited agents recorded present at the formalization workshop, by name");
        api.MapPost("/formalization/present", RecordPresent).RequireAuthorization(Roles.ProcessAdmin)
            .WithName("RecordPresentAgent")
            .WithSummary("Record an accredited agent present at the formalization workshop")
            .Refuses(StatusCodes.Status409Conflict, "Not in Formalization, the agent is not accredited in this process (or revoked), or already recorded present.");

        api.MapGet("/committee", GetCommittee).AllowAnonymous()
            .WithName("GetOversightCommittee")
            .WithSummary("The oversight committee's election: seats, quotas, candidates, the number of ballots and, once closed, the votes and the elected members");
        api.MapPost("/committee/candidates", Nominate).RequireAuthorization(Roles.ProcessAdmin)
            .WithName("NominateCommitteeCandidate")
            .WithSummary("Nominate an accredited agent residing in the jurisdiction for the oversight committee")
            .Refuses(StatusCodes.Status409Conflict, "Not in Formalization, not an accredited agent of the process, already a candidate, or nominations closed with the first ballot or the result.");
        api.MapPost("/committee/ballots", CastCommitteeBallot).RequireAuthorization(Roles.Agent)
            .WithName("CastCommitteeBallot")
            .WithSummary("An agent present approves up to as many candidates as there are seats; one ballot per agent")
            .Refuses(StatusCodes.Status403Forbidden, "The agent is not accredited in the process or not recorded present.")
            .Refuses(StatusCodes.Status409Conflict, "The agent already voted, there are fewer candidates than seats, the election is closed, or the process is not in Formalization.");
        api.MapPost("/committee/closure", CloseElection).RequireAuthorization(Roles.ProcessAdmin)
            .WithName("CloseCommitteeElection")
            .WithSummary("Count the ballots and seat the committee, quotas applied: the best-voted, with a quota's shortfall filled by its best-voted members")
            .Refuses(StatusCodes.Status409Conflict, "Fewer candidates than seats, a quota its candidates cannot meet (named), no ballot, or already closed.");

        api.MapGet("/acta", GetActa).AllowAnonymous()
            .WithName("GetActa")
            .WithSummary("The current version of the acta: its canonical content and hash, its signatures and approvals");
        api.MapGet("/acta/document", GetActaDocument).AllowAnonymous()
            .WithName("GetActaDocument")
            .WithSummary("The acta as a printable A4 document (HTML): hash, projects, co-financing, commitments, committee, signatures")
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        api.MapPost("/acta", DrawUp).RequireAuthorization(Roles.ProcessAdmin)
            .WithName("DrawUpActa")
            .WithSummary("Draw up (or, before the first signature, redraw as a new version) the Acta de Acuerdos y Compromisos")
            .Refuses(StatusCodes.Status409Conflict, "Not in Formalization, no final vote yet, the committee not elected, no agent present, the acta already signed, or the list formalized.");
        api.MapPost("/acta/signatures", Sign)
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, [.. Authorities, Roles.Agent]))
            .WithName("SignActa")
            .WithSummary("Sign the acta's current version: the request carries the content hash the signer read; once per person")
            .Refuses(StatusCodes.Status403Forbidden, "Another jurisdiction, or an agent the acta does not record present.")
            .Refuses(StatusCodes.Status409Conflict, "The hash is not the current version's, the person already signed, no acta yet, or the list is formalized.");
        api.MapPost("/acta/approvals", Approve)
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, Roles.Council, Roles.CoordinationCouncil))
            .WithName("ApproveActa")
            .WithSummary("The coordination council or the council approves the signed acta; with both approvals the list is formalized and sent to the Ministry")
            .Refuses(StatusCodes.Status403Forbidden, "The token does not carry the body's role, or acts for another jurisdiction.")
            .Refuses(StatusCodes.Status409Conflict, "Not signed yet by an authority and an agent, already approved by that body, or not in Formalization.");
        return app;
    }

    public sealed record PresentRequest(Guid AgentId);
    public sealed record NominationRequest(Guid AgentId, string? Residence);
    public sealed record CommitteeBallotRequest(IReadOnlyList<Guid>? Candidates);
    public sealed record DrawUpRequest(string? Number);
    public sealed record SignatureRequest(string? ContentHash);
    public sealed record ApprovalRequest(string? Body);

    public sealed record CandidateView(Guid AgentId, string FullName, string Organisation, string Residence, IReadOnlyList<QuotaGroup> Groups, DateTimeOffset NominatedAt, int? Votes);
    public sealed record CommitteeResponse(Guid ProcessId, string Status, int Seats, IReadOnlyList<Quota> Quotas, IReadOnlyList<CandidateView> Candidates, int Ballots,
        IReadOnlyList<CommitteeMember> Members, DateTimeOffset? ClosedAt);
    public sealed record BallotResponse(Guid ProcessId, int Candidates, DateTimeOffset CastAt);
    public sealed record SignatureView(string Signer, string Name, string Role, bool IsAgent, int Version, string ContentHash, DateTimeOffset SignedAt);
    public sealed record ActaResponse(Guid ProcessId, string Number, int Version, string ContentHash, string CanonicalContent, ActaContent Content,
        IReadOnlyList<SignatureView> Signatures, IReadOnlyList<ActaApproval> Approvals, bool Formalized);

    private static async Task<Ok<ActaAgent[]>> ListPresent(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessStageAsync(processId, ct);
        return TypedResults.Ok((await uow.ListPresentAsync(processId, ct)).ToArray());
    }

    private static async Task<Created<ActaAgent>> RecordPresent(Guid processId, PresentRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessStageAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        StageRule.Require(process.Stage, "Recording who is present at the formalization workshop", Stage.Formalization);
        var agent = await uow.FindAgentAsync(request.AgentId, ct);
        if (agent is null || agent.ProcessId != processId || agent.Revoked)
        {
            throw new ConflictException("agentId", "Not an accredited agent of this process: only accredited agents are recorded present");
        }
        var actor = Actor.As(user, Roles.ProcessAdmin);
        if (!await uow.InsertPresentAsync(processId, agent.AgentId, actor.Subject, ct))
        {
            throw new ConflictException("agentId", $"{agent.FullName} is already recorded present");
        }
        uow.Audit(actor, "formalization.present", processId, agent.AgentId.ToString(), new { agent.FullName, agent.Organisation });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/coordination/processes/{processId}/formalization/present", new ActaAgent(agent.AgentId, agent.FullName, agent.Organisation));
    }

    private static async Task<Ok<CommitteeResponse>> GetCommittee(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var election = await uow.GetElectionAsync(await uow.GetProcessStageAsync(processId, ct), ct);
        return TypedResults.Ok(ToResponse(election, election.Status == ElectionStatus.Elected ? await uow.CountVotesAsync(processId, ct) : null));
    }

    private static async Task<Created<CandidateView>> Nominate(Guid processId, NominationRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessStageAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        await uow.LockListAsync(processId, shared: false, ct);
        var election = await uow.GetElectionAsync(process, ct);
        var candidate = election.Nominate(process, await uow.FindAgentAsync(request.AgentId, ct), request.Residence, uow.Now);
        var actor = Actor.As(user, Roles.ProcessAdmin);
        await uow.InsertCandidateAsync(processId, election.Rules.Seats, candidate, actor.Subject, ct);
        uow.Audit(actor, "committee.nominated", processId, candidate.AgentId.ToString(), new { candidate.FullName, candidate.Residence, candidate.Groups });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/coordination/processes/{processId}/committee", ToView(candidate, null));
    }

    private static async Task<Created<BallotResponse>> CastCommitteeBallot(Guid processId, CommitteeBallotRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessStageAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        await uow.LockListAsync(processId, shared: true, ct);
        var election = await uow.GetElectionAsync(process, ct);
        var voterId = user.SubjectId();
        var present = (await uow.ListPresentAsync(processId, ct)).Any(p => p.AgentId == voterId);
        var choices = election.Cast(process, await uow.FindAgentAsync(voterId, ct), present, request.Candidates);
        if (!await uow.InsertBallotAsync(processId, voterId, choices, ct))
        {
            throw new ConflictException("ballot", "This agent has already voted in the committee's election: one ballot per agent");
        }
        // That the agent voted, never for whom.
        uow.Audit(Actor.As(user, Roles.Agent), "committee.ballot-cast", processId, processId.ToString(), new { Election = processId });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/coordination/processes/{processId}/committee", new BallotResponse(processId, choices.Count, uow.Now));
    }

    private static async Task<Ok<CommitteeResponse>> CloseElection(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessStageAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // Locked: a ballot committed after the count would not be in it.
        await uow.LockListAsync(processId, shared: false, ct);
        var election = await uow.GetElectionAsync(process, ct);
        var votes = await uow.CountVotesAsync(processId, ct);
        var members = election.Close(process, votes, uow.Now);
        var actor = Actor.As(user, Roles.ProcessAdmin);
        await uow.CloseElectionAsync(election, actor.Subject, ct);
        uow.Audit(actor, "committee.elected", processId, processId.ToString(), new { election.Ballots, Members = members });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(election, votes));
    }

    private static async Task<Ok<ActaResponse>> GetActa(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessStageAsync(processId, ct);
        return TypedResults.Ok(ToResponse(await RequireActaAsync(uow, processId, ct)));
    }

    private static async Task<ContentHttpResult> GetActaDocument(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await uow.GetProcessStageAsync(processId, ct);
        var acta = await RequireActaAsync(uow, processId, ct);
        return TypedResults.Text(ActaDocument.Render(acta), "text/html; charset=utf-8");
    }

    private static async Task<Created<ActaResponse>> DrawUp(Guid processId, DrawUpRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessStageAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        // Locked: a signature arriving meanwhile would sign a version this one replaces.
        var list = await uow.GetByProcessAsync(processId, ct, forUpdate: true);
        var acta = await uow.GetActaAsync(processId, ct);
        var (projects, commitments) = await uow.GetFinalProjectsAsync(list.Id, ct);
        var version = acta.DrawUp(process, list, await uow.FindFinalVoteAsync(processId, ct), await uow.GetElectionAsync(process, ct), projects, commitments,
            await uow.ListPresentAsync(processId, ct), request.Number, uow.Now);
        var actor = Actor.As(user, Roles.ProcessAdmin);
        await uow.InsertActaAsync(processId, version, actor.Subject, ct);
        uow.Audit(actor, "acta.drawn-up", processId, version.Content.Number, new { version.Content.Version, version.ContentHash });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/coordination/processes/{processId}/acta", ToResponse(acta));
    }

    private static async Task<Created<SignatureView>> Sign(Guid processId, SignatureRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessStageAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        await uow.LockListAsync(processId, shared: true, ct);
        var acta = await uow.GetActaAsync(processId, ct);
        var signer = await SignerAsync(uow, user, processId, ct);
        var signature = acta.Sign(process, signer, request.ContentHash, uow.Now);
        if (!await uow.InsertSignatureAsync(processId, signature, ct))
        {
            // Another request of the same person committed first.
            throw new ConflictException("signature", "Already signed: one signature per person");
        }
        uow.Audit(Actor.As(user, signer.Role), "acta.signed", processId, signer.Subject, new { signature.Version, signature.ContentHash, signature.Name });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/coordination/processes/{processId}/acta", ToView(signature));
    }

    private static async Task<Ok<ActaResponse>> Approve(Guid processId, ApprovalRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        if (!Stages.TryParseName<ApprovalBody>(request.Body, out var body))
        {
            throw new DomainException("body", $"One of {string.Join(", ", Enum.GetNames<ApprovalBody>())}");
        }
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessStageAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var actor = Actor.As(user, body == ApprovalBody.Council ? Roles.Council : Roles.CoordinationCouncil);
        var list = await uow.GetByProcessAsync(processId, ct, forUpdate: true);
        var acta = await uow.GetActaAsync(processId, ct);
        var (approval, formalized) = acta.Approve(process, list, body, actor.Subject, uow.Now, await DossierSourcesAsync(uow, acta, list, ct));
        await uow.InsertApprovalAsync(processId, approval, ct);
        uow.Audit(actor, "acta.approved", processId, acta.Current!.Content.Number, new { approval.Body, acta.Current.ContentHash });
        if (formalized is not null)
        {
            await uow.MarkFormalizedAsync(list, actor.Subject, ct);
            uow.Publish(formalized);
            uow.Audit(actor, "list.formalized", processId, list.Id.ToString(),
                new { formalized.ActaReference, formalized.ActaContentHash, formalized.ApprovedAt, formalized.Projects });
        }
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(Acta.Restore(processId, acta.Current, acta.Signatures, [.. acta.Approvals, approval])));
    }

    private static async Task<DossierSources> DossierSourcesAsync(UnitOfWork uow, Acta acta, CoordinatedList list, CancellationToken ct)
    {
        var projects = acta.Current?.Content.Projects ?? [];
        var agreements = (await uow.GetAgreementsAsync(list.Id, ct)).ToDictionary(a => a.ProposalId);
        var governments = agreements.Values.SelectMany(a => a.Shares).Select(s => s.ProcessId).OfType<Guid>();
        return new DossierSources(await uow.GetProposalsAsync(projects.Select(p => p.ProposalId), ct), agreements,
            await uow.GetJurisdictionsAsync(governments, ct));
    }

    /// <summary>An authority signs in its role; an agent signs as the agent the token names, with the name registration accredited.</summary>
    private static async Task<Signer> SignerAsync(UnitOfWork uow, ClaimsPrincipal user, Guid processId, CancellationToken ct)
    {
        var subject = Actor.From(user).Subject;
        if (Authorities.FirstOrDefault(r => user.HasClaim(PbClaims.Role, r)) is { } role)
        {
            return new Signer(subject, role, subject, IsAgent: false);
        }
        var agent = await uow.FindAgentAsync(user.SubjectId(), ct);
        if (agent is null || agent.ProcessId != processId || agent.Revoked)
        {
            throw new ForbiddenException("Only accredited agents of this process sign the acta for civil society");
        }
        return new Signer(agent.AgentId.ToString(), Roles.Agent, agent.FullName, IsAgent: true);
    }

    private static async Task<Acta> RequireActaAsync(UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var acta = await uow.GetActaAsync(processId, ct);
        return acta.Current is null ? throw new NotFoundException("Acta of process", processId) : acta;
    }

    private static CandidateView ToView(Candidate c, int? votes) => new(c.AgentId, c.FullName, c.Organisation, c.Residence, c.Groups, c.NominatedAt, votes);

    private static SignatureView ToView(ActaSignature s) => new(s.Signer, s.Name, s.Role, s.IsAgent, s.Version, s.ContentHash, s.SignedAt);

    private static CommitteeResponse ToResponse(CommitteeElection e, IReadOnlyDictionary<Guid, int>? votes) =>
        new(e.ProcessId, e.Status.ToString(), e.Rules.Seats, e.Rules.Quotas,
            e.Candidates.Select(c => ToView(c, votes is null ? null : votes.TryGetValue(c.AgentId, out var n) ? n : 0)).ToList(), e.Ballots, e.Members, e.ClosedAt);

    private static ActaResponse ToResponse(Acta a) =>
        new(a.ProcessId, a.Current!.Content.Number, a.Current.Content.Version, a.Current.ContentHash, a.Current.Canonical, a.Current.Content,
            a.Signatures.Select(ToView).ToList(), a.Approvals, a.Formalized);
}
