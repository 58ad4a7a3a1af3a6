using System.Buffers.Text;
using System.Text.Json;

namespace PBServices.Portal;

/// <summary>
/// The signed-in person: the access token the portal keeps for them in an HttpOnly cookie, and what it says
/// about them (read from the token's payload for the page only; every API checks the token itself).
/// </summary>
public sealed record Session(string Token, string Subject, IReadOnlyList<string> Roles, string Jurisdiction, DateTimeOffset Expires)
{
    public const string CookieName = "pb_sesion";

    public bool Has(string role) => Roles.Contains(role);

    public bool IsProcessAdmin => Has("process-admin");

    /// <summary>Null when there is no cookie, or its token is unreadable or expired.</summary>
    public static Session? From(HttpContext context)
    {
        if (context.Items.TryGetValue(typeof(Session), out var cached))
        {
            return cached as Session;
        }
        var session = context.Request.Cookies.TryGetValue(CookieName, out var token) ? Read(token, context.RequestServices.GetRequiredService<TimeProvider>()) : null;
        context.Items[typeof(Session)] = session;
        return session;
    }

    public static Session? Read(string token, TimeProvider clock)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || !Base64Url.IsValid(parts[1]))
        {
            return null;
        }
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var claims = payload.RootElement;
            var roles = claims.TryGetProperty("role", out var r)
                ? r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [r.GetString() ?? ""]
                : new List<string>();
            var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
            if (expires <= clock.GetUtcNow())
            {
                return null;
            }
            return new Session(token, claims.GetProperty("sub").GetString() ?? "", roles, claims.GetProperty("jurisdiction").GetString() ?? "", expires);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>HttpOnly (no script can read it), SameSite=Strict (no other site's form can use it), Secure over HTTPS.</summary>
    public static void Keep(HttpContext context, string token, DateTimeOffset expires) =>
        context.Response.Cookies.Append(CookieName, token, Options(context, expires));

    public static void Forget(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, Options(context, null));

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
