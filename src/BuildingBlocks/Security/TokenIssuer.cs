using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace PBServices.BuildingBlocks.Security;

/// <summary>
/// Issues JWTs signed with the deployment's key: registration's development and client-credential
/// tokens, and the short-lived tokens a service presents when it calls another deployment over gRPC.
/// </summary>
public sealed class TokenIssuer(TokenSettings settings, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public string Issue(string subject, IEnumerable<string> roles, string jurisdiction, TimeSpan? lifetime = null)
    {
        var claims = new List<Claim> { new(PbClaims.Subject, subject), new(PbClaims.Jurisdiction, jurisdiction) };
        claims.AddRange(roles.Select(r => new Claim(PbClaims.Role, r)));
        var now = time.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityToken(settings.Issuer, settings.Audience, claims, now, now.Add(lifetime ?? Lifetime),
            new SigningCredentials(settings.Key(), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
