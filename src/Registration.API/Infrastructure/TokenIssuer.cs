using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using PBServices.BuildingBlocks.Security;

namespace PBServices.Registration.Infrastructure;

/// <summary>Issues the JWTs services validate (development, and integrators' client credentials).</summary>
public sealed class TokenIssuer(TokenSettings settings, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public string Issue(string subject, IEnumerable<string> roles, string jurisdiction)
    {
        var claims = new List<Claim> { new(PbClaims.Subject, subject), new(PbClaims.Jurisdiction, jurisdiction) };
        claims.AddRange(roles.Select(r => new Claim(PbClaims.Role, r)));
        var now = time.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityToken(settings.Issuer, settings.Audience, claims, now, now.Add(Lifetime),
            new SigningCredentials(settings.Key(), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
