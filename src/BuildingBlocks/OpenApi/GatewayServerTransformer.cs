using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PBServices.BuildingBlocks.OpenApi;

/// <summary>
/// Names the public address the document was fetched through as its server. Behind the gateway a service
/// only sees its internal port, so a client generated from the framework's default would call the wrong
/// host; YARP sends the address the caller used as X-Forwarded-Proto/Host/Prefix, whatever the gateway's
/// address is. Fetched directly, the document keeps the service's own address.
/// </summary>
public sealed class GatewayServerTransformer(IHttpContextAccessor accessor) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext?.Request is { } request && PublicBaseUrl(request.Headers) is { } url)
        {
            document.Servers = [new OpenApiServer { Url = url, Description = "The gateway this document was fetched through" }];
        }
        else
        {
            // The framework's own address ends with a slash, which doubles the one every operation path starts with.
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The base URL a forwarding proxy says the caller used, or null when there is none or it is malformed.</summary>
    internal static string? PublicBaseUrl(IHeaderDictionary headers)
    {
        // A chain of proxies that append lists the address the caller used first.
        static string? First(string? value) => value?.Split(',')[0].Trim() is { Length: > 0 } v ? v : null;

        if (First(headers["X-Forwarded-Host"]) is not { } host)
        {
            return null;
        }
        var scheme = First(headers["X-Forwarded-Proto"])?.ToLowerInvariant() ?? "http";
        var prefix = (First(headers["X-Forwarded-Prefix"]) ?? "").TrimEnd('/');
        if (scheme is not ("http" or "https")
            || !Uri.TryCreate($"{scheme}://{host}", UriKind.Absolute, out var origin)
            || origin.PathAndQuery != "/" || origin.UserInfo.Length > 0 || host.Contains('/') || host.Contains('#')
            || (prefix.Length > 0 && (prefix[0] != '/' || prefix.IndexOfAny(['?', '#', '\\', ' ']) >= 0)))
        {
            return null;
        }
        // No trailing slash: operation paths start with one.
        return $"{scheme}://{origin.Authority}{prefix}";
    }
}
