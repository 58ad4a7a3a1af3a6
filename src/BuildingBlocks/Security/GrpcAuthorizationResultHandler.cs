using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using PBServices.BuildingBlocks.Grpc;

namespace PBServices.BuildingBlocks.Security;

/// <summary>
/// An authorization refusal of a gRPC call (the gateway's route policy, a service's [Authorize], its policies or
/// the fallback policy) answered as gRPC status UNAUTHENTICATED or PERMISSION_DENIED; HTTP requests keep the
/// framework's challenge (401) and forbid (403).
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _http = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !GrpcRefusal.IsGrpc(context.Request))
        {
            return _http.HandleAsync(next, context, policy, authorizeResult);
        }
        if (authorizeResult.Challenged || context.User.Identity?.IsAuthenticated != true)
        {
            var message = string.IsNullOrEmpty(context.Request.Headers.Authorization)
                ? "The call carries no bearer token (authorization metadata)"
                : "The bearer token is not valid here: expired, malformed, or not issued for this deployment";
            return GrpcRefusal.WriteAsync(context.Response, StatusCode.Unauthenticated, message);
        }
        return GrpcRefusal.WriteAsync(context.Response, StatusCode.PermissionDenied, Describe(authorizeResult.AuthorizationFailure));
    }

    private static string Describe(AuthorizationFailure? failure)
    {
        var needed = (failure?.FailedRequirements ?? []).Select(r => r switch
        {
            RolesAuthorizationRequirement roles => $"a role of {string.Join(", ", roles.AllowedRoles)}",
            ClaimsAuthorizationRequirement { ClaimType: PbClaims.Role, AllowedValues: { } roles } => $"a role of {string.Join(", ", roles)}",
            ClaimsAuthorizationRequirement claim => $"the claim '{claim.ClaimType}'",
            _ => null,
        }).OfType<string>().ToList();
        return needed.Count == 0
            ? "The token does not allow this call"
            : $"The token does not allow this call: it needs {string.Join(" and ", needed)}";
    }
}
