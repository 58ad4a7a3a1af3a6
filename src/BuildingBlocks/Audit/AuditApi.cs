using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PBServices.BuildingBlocks.Security;

namespace PBServices.BuildingBlocks.Audit;

public static class AuditApi
{
    public sealed record AuditEntryResponse(long Sequence, DateTimeOffset OccurredAt, string Subject, string Role, string Jurisdiction,
        Guid? ProcessId, string Action, string SubjectId, JsonElement NewValues, string? Reason, string PreviousHash, string Hash);

    /// <summary>
    /// The service's audit endpoints under its gateway <paramref name="prefix"/> (e.g. <c>/api/registration</c>):
    /// a process's trail and the verification of the whole chain, for the PB office and the oversight committee.
    /// </summary>
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app, string prefix)
    {
        var api = app.MapGroup($"{prefix.TrimEnd('/')}/audit").WithTag("Audit", "The service's append-only, hash-chained audit trail: who changed what, when and why; and its verification.")
            .RequireAuthorization(Policies.AuditReader);
        // Every service maps these: the prefix's last segment keeps the operation ids unique across the deployment.
        var segment = prefix.TrimEnd('/')[(prefix.TrimEnd('/').LastIndexOf('/') + 1)..];
        var service = char.ToUpperInvariant(segment[0]) + segment[1..];
        api.MapGet("", GetTrail)
            .WithName($"Get{service}AuditTrail")
            .WithSummary("The audit trail of a process: every recorded change, in order, with who made it and the hash chain")
            .WithDescription("A token of a jurisdiction sees the entries made for that jurisdiction; a national (PE) token sees all.")
            .InAnyJurisdiction("A token sees only the entries made for its own jurisdiction")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/verification", Verify)
            .WithName($"Verify{service}AuditChain")
            .InAnyJurisdiction("Verifies the service's whole chain and names no entry")
            .WithSummary("Checks the service's whole audit chain: OK with the number of entries, or the first broken entry and why")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Ok<AuditEntryResponse[]>> GetTrail(Guid processId, ClaimsPrincipal user, AuditStore audit, CancellationToken ct)
    {
        var jurisdiction = user.Jurisdiction();
        var entries = await audit.ReadTrailAsync(processId, jurisdiction == PbClaims.NationalJurisdiction ? null : jurisdiction, ct);
        return TypedResults.Ok(entries.Select(ToResponse).ToArray());
    }

    private static async Task<Ok<AuditVerification>> Verify(AuditStore audit, CancellationToken ct) =>
        TypedResults.Ok(await audit.VerifyAsync(ct));

    private static AuditEntryResponse ToResponse(AuditEntry e)
    {
        using var values = JsonDocument.Parse(e.NewValues);
        return new AuditEntryResponse(e.Sequence, e.OccurredAt, e.Subject, e.Role, e.Jurisdiction, e.ProcessId, e.Action, e.SubjectId,
            values.RootElement.Clone(), e.Reason, e.PreviousHash, e.Hash);
    }
}
