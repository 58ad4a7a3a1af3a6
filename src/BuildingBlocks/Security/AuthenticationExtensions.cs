using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.BuildingBlocks.Security;

public sealed class TokenSettings
{
    public const string Section = "Auth";
    public string Issuer { get; set; } = "pb-services";
    public string Audience { get; set; } = "pb-services";
    /// <summary>HMAC key shared by the issuer and the services; at least 32 bytes. An OIDC authority replaces it in production.</summary>
    public string SigningKey { get; set; } = "";
    public string? Authority { get; set; }

    public SymmetricSecurityKey Key()
    {
        var bytes = Encoding.UTF8.GetBytes(SigningKey);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes");
        }
        return new SymmetricSecurityKey(bytes);
    }
}

/// <summary>Policies beyond the one-role policies named after <see cref="Roles"/>.</summary>
public static class Policies
{
    /// <summary>Reads the audit log: the PB office (process-admin) or the oversight committee.</summary>
    public const string AuditReader = "audit-reader";

    /// <summary>Registers an organisation's agents: the organisation online (a resident) or the officer at the desk (process-admin).</summary>
    public const string Applicant = "applicant";

    /// <summary>Objects to an entry of the published list: any resident or registered agent.</summary>
    public const string Objector = "objector";

    /// <summary>Records attendance: the officer, or the agent checking in online.</summary>
    public const string AttendanceRecorder = "attendance-recorder";

    /// <summary>Works technical assessments: a member of the technical team or its lead.</summary>
    public const string TechnicalAssessor = "technical-assessor";
}

public static class AuthenticationExtensions
{
    public static IHostApplicationBuilder AddPbAuthentication(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TokenSettings.Section).Get<TokenSettings>() ?? new TokenSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                if (!string.IsNullOrEmpty(settings.Authority))
                {
                    o.Authority = settings.Authority;
                }
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKey = string.IsNullOrEmpty(settings.Authority) ? settings.Key() : null,
                    RoleClaimType = PbClaims.Role,
                    NameClaimType = PbClaims.Subject,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddRolePolicies();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        return builder;
    }

    private static Microsoft.AspNetCore.Authorization.AuthorizationBuilder AddRolePolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder auth)
    {
        foreach (var role in Roles.All)
        {
            auth.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, role));
        }
        auth.AddPolicy(Policies.AuditReader, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, Roles.ProcessAdmin, Roles.Oversight));
        auth.AddPolicy(Policies.Applicant, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, Roles.Resident, Roles.ProcessAdmin));
        auth.AddPolicy(Policies.Objector, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, Roles.Resident, Roles.Agent));
        auth.AddPolicy(Policies.TechnicalAssessor, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, Roles.TechnicalTeam, Roles.TechnicalTeamLead));
        auth.AddPolicy(Policies.AttendanceRecorder, p => p.RequireAuthenticatedUser().RequireClaim(PbClaims.Role, Roles.ProcessAdmin, Roles.Agent));
        return auth;
    }

    public static string Jurisdiction(this ClaimsPrincipal user) =>
        user.FindFirstValue(PbClaims.Jurisdiction) ?? throw new ForbiddenException("The token carries no jurisdiction");

    public static Guid SubjectId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PbClaims.Subject), out var id) ? id : throw new ForbiddenException("The token's subject is not an identifier");

    /// <summary>No one acts on another jurisdiction's process (DESIGN.md section 2); the Ministry acts nationally.</summary>
    public static void EnsureActsFor(this ClaimsPrincipal user, string jurisdiction)
    {
        var own = user.Jurisdiction();
        if (own != PbClaims.NationalJurisdiction && !string.Equals(own, jurisdiction, StringComparison.Ordinal))
        {
            throw new ForbiddenException($"The token acts for jurisdiction '{own}', not '{jurisdiction}'");
        }
    }
}
