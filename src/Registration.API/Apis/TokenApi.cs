using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;

namespace PBServices.Registration.Apis;

public sealed class IntegratorClient
{
    public string ClientId { get; set; } = "";
    /// <summary>Hex SHA-256 of the secret: the secret itself is never stored.</summary>
    public string SecretSha256 { get; set; } = "";
    public string Jurisdiction { get; set; } = "";
}

public static class TokenApi
{
    public sealed record DevTokenRequest(string? Subject, string[]? Roles, string? Jurisdiction);
    public sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        // OAuth 2.0 client credentials (RFC 6749 §4.4) for integrators' read-only gRPC access.
        app.MapPost("/connect/token", IssueClientToken).AllowAnonymous().DisableAntiforgery()
            .WithTag("Tokens", "Access tokens: client credentials for integrators and, in development, a token for any role.")
            .WithSummary("Get an integrator's access token with OAuth 2.0 client credentials")
            .Refuses(StatusCodes.Status401Unauthorized, "Unknown client, or wrong secret.");

        // Development only: lets the demo and the tests act as any role. Production uses an OIDC provider.
        if (configuration.GetValue<bool>("Auth:DevTokens"))
        {
            app.MapPost("/api/registration/dev-tokens", IssueDevToken).AllowAnonymous().WithTags("Tokens")
                .WithSummary("Get a development token for any roles and jurisdiction (development deployments only)");
        }
        return app;
    }

    private static Ok<TokenResponse> IssueDevToken(DevTokenRequest request, TokenIssuer issuer)
    {
        if (request.Roles is not { Length: > 0 } || request.Roles.Any(r => !Roles.All.Contains(r)))
        {
            throw new DomainException("roles", $"Give one or more of: {string.Join(", ", Roles.All)}");
        }
        var jurisdiction = Guard.Jurisdiction("jurisdiction", request.Jurisdiction);
        var subject = string.IsNullOrWhiteSpace(request.Subject) ? Guid.NewGuid().ToString() : Guard.Text("subject", request.Subject, 100);
        return TypedResults.Ok(new TokenResponse(issuer.Issue(subject, request.Roles, jurisdiction), "Bearer", (int)TokenIssuer.Lifetime.TotalSeconds));
    }

    private static Results<Ok<TokenResponse>, ProblemHttpResult> IssueClientToken(
        [FromForm(Name = "grant_type")] string? grantType,
        [FromForm(Name = "client_id")] string? clientId,
        [FromForm(Name = "client_secret")] string? clientSecret,
        IConfiguration configuration,
        TokenIssuer issuer)
    {
        if (grantType != "client_credentials")
        {
            return TypedResults.Problem(title: "unsupported_grant_type", detail: "Only client_credentials is supported", statusCode: 400);
        }
        var clients = configuration.GetSection("Integrators").Get<IntegratorClient[]>() ?? [];
        var client = clients.FirstOrDefault(c => c.ClientId == clientId);
        var presented = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret ?? "")));
        if (client is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(client.SecretSha256.ToLowerInvariant())))
        {
            return TypedResults.Problem(title: "invalid_client", detail: "Unknown client or wrong secret", statusCode: 401);
        }
        return TypedResults.Ok(new TokenResponse(issuer.Issue(client.ClientId, [Roles.Integrator], client.Jurisdiction), "Bearer", (int)TokenIssuer.Lifetime.TotalSeconds));
    }
}
