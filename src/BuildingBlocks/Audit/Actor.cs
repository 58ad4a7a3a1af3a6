using System.Security.Claims;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;

namespace PBServices.BuildingBlocks.Audit;

/// <summary>Who made a change, as the audit log records it: the token's subject, role and jurisdiction.</summary>
public sealed record Actor(string Subject, string Role, string Jurisdiction)
{
    /// <summary>The role recorded for changes a service makes itself, on behalf of an event it consumed.</summary>
    public const string SystemRole = "system";

    /// <summary>The signed-in caller: subject <c>sub</c>, the first <c>role</c> claim, the <c>jurisdiction</c> claim.</summary>
    public static Actor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var subject = user.FindFirstValue(PbClaims.Subject);
        var role = user.FindFirstValue(PbClaims.Role);
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(role))
        {
            // A change nobody can be named for is not made.
            throw new ForbiddenException("The token carries no subject or no role");
        }
        return new Actor(subject, role, user.Jurisdiction());
    }

    /// <summary>
    /// The signed-in caller acting in <paramref name="role"/>, the role the endpoint required: a token may hold
    /// several roles, and the entry names the one the change was made under.
    /// </summary>
    public static Actor As(ClaimsPrincipal user, string role)
    {
        var actor = From(user);
        return user.HasClaim(PbClaims.Role, role) ? actor with { Role = role } : throw new ForbiddenException($"The token does not carry the role '{role}'");
    }

    /// <summary>A service acting on an event, e.g. a consumer storing its copy; the jurisdiction is the event's.</summary>
    public static Actor System(string service, string jurisdiction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(jurisdiction);
        return new Actor($"service:{service}", SystemRole, jurisdiction);
    }
}
