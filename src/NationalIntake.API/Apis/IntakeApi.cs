using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.NationalIntake.Domain;
using PBServices.NationalIntake.Infrastructure;

namespace PBServices.NationalIntake.Apis;

/// <summary>The Ministry officers' desk: clients, enrolled keys, refusals, received submissions and the decision on each project.</summary>
public static class IntakeApi
{
    public sealed record CreateClientRequest(string? ClientId, string? Role, string? Jurisdiction);
    public sealed record CreatedClient(string ClientId, string Role, string Jurisdiction, string ClientSecret);
    public sealed record EnrolKeyRequest(string? Jurisdiction, string? PublicKey, string? Reason);
    public sealed record RevokeKeyRequest(string? Reason);
    public sealed record DecisionRequest(Guid? ProposalId, string? Decision, decimal? ApprovedAmount, string? Reason);
    public sealed record RecordedDecision(Guid DecisionId, long Sequence, Guid SubmissionId, Guid ProposalId, string Decision, decimal ApprovedAmount, string? Reason,
        DateTimeOffset DecidedAt);

    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        var clients = app.MapGroup("/api/intake/clients").RequireAuthorization(IntakeRoles.Ministry)
            .InAnyJurisdiction("The Ministry's officers act nationally")
            .WithTag("Clients", "Client credentials the intake issues to enrolled deployments and integrators.");
        clients.MapPost("", CreateClient)
            .WithSummary("Create a deployment's or an integrator's client; the secret is in this answer only")
            .Refuses(StatusCodes.Status409Conflict, "A client with this id exists.");

        var keys = app.MapGroup("/api/intake/keys").RequireAuthorization(IntakeRoles.Ministry)
            .InAnyJurisdiction("The Ministry's officers act nationally")
            .WithTag("Signing keys", "The public keys the Ministry enrolled, one good key per jurisdiction: enrolment, rotation and revocation.");
        keys.MapPost("", EnrolKey)
            .WithSummary("Enrol a jurisdiction's public signing key; a good key it had until now is retired at the same moment")
            .Refuses(StatusCodes.Status409Conflict, "The key was enrolled before.");
        keys.MapPost("/{keyId}/revocation", RevokeKey)
            .WithSummary("Revoke an enrolled key: packages signed with it are refused from now on")
            .Refuses(StatusCodes.Status409Conflict, "The key is already revoked.");
        keys.MapGet("", ListKeys).WithSummary("List the enrolled keys, of one jurisdiction or all, with their standing");

        var submissions = app.MapGroup("/api/intake").RequireAuthorization(IntakeRoles.Ministry)
            .InAnyJurisdiction("The Ministry's officers act nationally")
            .WithTag("Received submissions", "What the intake received and recorded, what it refused and why, and the Ministry's decision on each project.");
        submissions.MapGet("/refusals", ListRefusals).WithSummary("List the packages the intake refused, latest first, with every reason");
        submissions.MapGet("/submissions", ListSubmissions).WithSummary("List the recorded submissions, as they arrived");
        submissions.MapGet("/submissions/{submissionId:guid}", GetSubmission).WithName("GetIntakeSubmission")
            .WithSummary("Get a recorded submission with its projects and their decisions, and the oversight report it carries: the committee's escalated findings of earlier years");
        submissions.MapPost("/submissions/{submissionId:guid}/decisions", Decide)
            .WithSummary("Record the Ministry's decision on one project: approved for the budget with an amount, or rejected with a reason")
            .Refuses(StatusCodes.Status409Conflict, "The project already has a decision.");
        return app;
    }

    private static async Task<Created<CreatedClient>> CreateClient(CreateClientRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        var clientId = Guard.Text("clientId", request.ClientId, 64);
        if (clientId.Length < 3 || !clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new DomainException("clientId", "3 to 64 letters, digits, '.', '_' or '-'");
        }
        if (request.Role is not { } role || !IntakeRoles.Enrollable.Contains(role))
        {
            throw new DomainException("role", $"One of: {string.Join(", ", IntakeRoles.Enrollable)}");
        }
        var jurisdiction = Guard.Jurisdiction("jurisdiction", request.Jurisdiction);
        var secret = ClientCredentials.NewSecret();
        await using var uow = await db.BeginAsync(ct);
        await uow.InsertClientAsync(clientId, ClientCredentials.HashOf(secret), role, jurisdiction, ct);
        uow.Audit(Actor.As(user, IntakeRoles.Ministry), "ClientCreated", null, clientId, new { clientId, role, jurisdiction });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/intake/clients/{clientId}", new CreatedClient(clientId, role, jurisdiction, secret));
    }

    private static async Task<Created<Enrolment>> EnrolKey(EnrolKeyRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        var jurisdiction = Guard.Jurisdiction("jurisdiction", request.Jurisdiction);
        var reason = Guard.Text("reason", request.Reason, 1000);
        using var key = VerifyingKey.FromBase64(request.PublicKey, "publicKey");
        await using var uow = await db.BeginAsync(ct);
        var enrolment = await KeyRegistry.EnrolAsync(uow, jurisdiction, key, Actor.As(user, IntakeRoles.Ministry), reason, ct);
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/intake/keys?jurisdiction={jurisdiction}", enrolment);
    }

    private static async Task<Ok<KeyView>> RevokeKey(string keyId, RevokeKeyRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        var reason = Guard.Text("reason", request.Reason, 1000);
        await using var uow = await db.BeginAsync(ct);
        var key = await uow.FindKeyAsync(keyId.ToLowerInvariant(), ct) ?? throw new NotFoundException("Enrolled key", keyId);
        if (await uow.RevokeKeyAsync(key.KeyId, reason, ct) == 0)
        {
            throw new ConflictException("keyId", $"The key was already revoked at {key.RevokedAt:O}");
        }
        uow.Audit(Actor.As(user, IntakeRoles.Ministry), "KeyRevoked", null, key.KeyId, new { keyId = key.KeyId, key.Jurisdiction }, reason);
        var view = (await uow.ListKeysAsync(key.Jurisdiction, ct)).Single(k => k.KeyId == key.KeyId);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<IReadOnlyList<KeyView>>> ListKeys(string? jurisdiction, UnitOfWorkFactory db, CancellationToken ct)
    {
        var scope = string.IsNullOrEmpty(jurisdiction) ? null : Guard.Jurisdiction("jurisdiction", jurisdiction);
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.ListKeysAsync(scope, ct));
    }

    private static async Task<Ok<IReadOnlyList<Refusal>>> ListRefusals(string? jurisdiction, int? limit, UnitOfWorkFactory db, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
        {
            throw new DomainException("limit", "Between 1 and 1000");
        }
        var scope = string.IsNullOrEmpty(jurisdiction) ? null : Guard.Jurisdiction("jurisdiction", jurisdiction);
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.ListRefusalsAsync(scope, limit ?? 100, ct));
    }

    /// <summary>Streamed as a JSON array while it is read: every submission of the country is a long list.</summary>
    private static IAsyncEnumerable<SubmissionSummary> ListSubmissions(int? fiscalYear, string? jurisdiction, UnitOfWorkFactory db, CancellationToken ct)
    {
        var scope = string.IsNullOrEmpty(jurisdiction) ? PbClaims.NationalJurisdiction : Guard.Jurisdiction("jurisdiction", jurisdiction);
        return Stream(db, scope, fiscalYear ?? 0, ct);

        static async IAsyncEnumerable<SubmissionSummary> Stream(UnitOfWorkFactory db, string scope, int fiscalYear, [EnumeratorCancellation] CancellationToken ct)
        {
            await using var uow = await db.BeginAsync(ct);
            await foreach (var s in uow.StreamSubmissionsAsync(scope, fiscalYear, ct))
            {
                yield return s;
            }
        }
    }

    private static async Task<Ok<SubmissionDetail>> GetSubmission(Guid submissionId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.GetSubmissionAsync(submissionId, ct));
    }

    private static async Task<Created<RecordedDecision>> Decide(Guid submissionId, DecisionRequest request, ClaimsPrincipal user, UnitOfWorkFactory db,
        CancellationToken ct)
    {
        var proposalId = request.ProposalId ?? throw new DomainException("proposalId", "Required");
        string? reason;
        decimal amount;
        switch (request.Decision)
        {
            case "Approved":
                amount = Guard.Soles("approvedAmount", request.ApprovedAmount ?? throw new DomainException("approvedAmount", "Required for an approval"));
                reason = string.IsNullOrWhiteSpace(request.Reason) ? null : Guard.Text("reason", request.Reason, 2000);
                break;
            case "Rejected":
                if (request.ApprovedAmount is { } given && given != 0)
                {
                    throw new DomainException("approvedAmount", "A rejected project has no approved amount");
                }
                amount = 0;
                reason = Guard.Text("reason", request.Reason, 2000);
                break;
            default:
                throw new DomainException("decision", "Approved or Rejected");
        }
        var actor = Actor.As(user, IntakeRoles.Ministry);
        await using var uow = await db.BeginAsync(ct);
        var project = await uow.FindProjectAsync(submissionId, proposalId, ct) ?? throw new NotFoundException($"Project of submission {submissionId}", proposalId);
        if (amount > project.Cost)
        {
            throw new DomainException("approvedAmount", $"At most the project's cost, S/ {project.Cost:0.00}");
        }
        var decisionId = Guid.CreateVersion7();
        var (sequence, decidedAt) = await uow.InsertDecisionAsync(decisionId, submissionId, proposalId, request.Decision, amount, reason, actor.Subject, ct)
            ?? throw new ConflictException("proposalId", $"The project {proposalId} already has a decision");
        uow.Audit(actor, "ProjectDecided", project.ProcessId, proposalId.ToString(),
            new { decisionId, submissionId, proposalId, decision = request.Decision, approvedAmount = amount, sequence }, reason);
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/intake/submissions/{submissionId}",
            new RecordedDecision(decisionId, sequence, submissionId, proposalId, request.Decision, amount, reason,
                new DateTimeOffset(DateTime.SpecifyKind(decidedAt, DateTimeKind.Utc), TimeSpan.Zero)));
    }
}
