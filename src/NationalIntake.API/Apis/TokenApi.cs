using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PBServices.NationalIntake.Infrastructure;

namespace PBServices.NationalIntake.Apis;

public static class TokenApi
{
    public sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("jurisdiction")] string Jurisdiction);

    /// <summary>OAuth 2.0 client credentials (RFC 6749 §4.4) for clients that speak plain HTTP; IntakeAuth.IssueToken is the same over gRPC.</summary>
    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", IssueToken).AllowAnonymous().DisableAntiforgery()
            .WithTag("Tokens", "The intake's own access tokens, for the clients it issued credentials to.")
            .WithSummary("Get an access token of the intake with OAuth 2.0 client credentials")
            .Refuses(StatusCodes.Status401Unauthorized, "Unknown or revoked client, or wrong secret (invalid_client).");
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        [FromForm(Name = "grant_type")] string? grantType,
        [FromForm(Name = "client_id")] string? clientId,
        [FromForm(Name = "client_secret")] string? clientSecret,
        ClientCredentials credentials,
        CancellationToken ct)
    {
        if (grantType != "client_credentials")
        {
            return TypedResults.Problem(title: "unsupported_grant_type", detail: "grant_type: only client_credentials is supported", statusCode: 400);
        }
        var token = await credentials.IssueAsync(clientId, clientSecret, ct);
        return token is null
            ? TypedResults.Problem(title: "invalid_client", detail: "Unknown or revoked client, or wrong secret", statusCode: 401)
            : TypedResults.Ok(new TokenResponse(token.AccessToken, "Bearer", token.ExpiresIn, token.Jurisdiction));
    }
}
