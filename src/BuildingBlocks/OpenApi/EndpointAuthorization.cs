using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using PBServices.BuildingBlocks.Security;

namespace PBServices.BuildingBlocks.OpenApi;

/// <summary>
/// The roles an endpoint's handler admits, where its policy lets more through and the handler decides
/// (<c>.Permits(roles)</c>, or on a gRPC service or method).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PermitsAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>
/// An authenticated endpoint that is not about one jurisdiction's process, with why (<c>.InAnyJurisdiction(why)</c>, or on
/// a gRPC service or method): it answers with what is the caller's own (x-pb-authorization jurisdiction "caller"), or,
/// with <see cref="PublicData"/>, with public data of every jurisdiction ("public").
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AnyJurisdictionAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
    public bool PublicData { get; init; }
}

/// <summary>
/// Who may call an endpoint, read from its metadata as the authorization middleware reads it: anonymous, or
/// the roles its policies require (resolved through the policy provider, so a named policy and an inline one
/// read the same) narrowed by what the handler declares it admits; and whether it acts only for the token's
/// jurisdiction ("own": the process's, or the nation's), which DESIGN.md section 2 makes the rule for every authenticated
/// endpoint unless declared otherwise.
/// Published as the <c>x-pb-authorization</c> extension, so a test can generate every endpoint × role × jurisdiction from it.
/// </summary>
public static class EndpointAuthorization
{
    public const string Extension = "x-pb-authorization";

    public static async Task<JsonObject> DescribeAsync(IReadOnlyList<object> metadata, IAuthorizationPolicyProvider policies)
    {
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return new JsonObject { ["anonymous"] = true };
        }
        var policy = await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>())
            ?? await policies.GetFallbackPolicyAsync();
        HashSet<string>? roles = null;
        foreach (var allowed in (policy?.Requirements ?? []).Select(RolesOf).OfType<IEnumerable<string>>()
                     .Concat(metadata.OfType<PermitsAttribute>().Select(p => p.Roles)))
        {
            // Every requirement must pass, so a caller needs a role each of them admits.
            roles = roles is null ? [.. allowed] : [.. roles.Intersect(allowed)];
        }
        var description = new JsonObject { ["anonymous"] = false };
        if (roles is not null)
        {
            description["roles"] = new JsonArray([.. roles.Order(StringComparer.Ordinal).Select(r => JsonValue.Create(r))]);
        }
        var any = metadata.OfType<AnyJurisdictionAttribute>().LastOrDefault();
        description["jurisdiction"] = any is null ? "own" : any.PublicData ? "public" : "caller";
        if (any is not null)
        {
            description["anyJurisdictionBecause"] = any.Reason;
        }
        return description;
    }

    private static IEnumerable<string>? RolesOf(IAuthorizationRequirement requirement) => requirement switch
    {
        RolesAuthorizationRequirement r => r.AllowedRoles,
        ClaimsAuthorizationRequirement { ClaimType: PbClaims.Role, AllowedValues: { } values } => values,
        _ => null,
    };
}
