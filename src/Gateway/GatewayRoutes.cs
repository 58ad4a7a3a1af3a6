using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace PBServices.Gateway;

/// <summary>
/// The one public entry. HTTP APIs route by path prefix to the owning service's HTTP/1.1 endpoint; gRPC
/// routes by fully qualified service name to its HTTP/2 endpoint; each service's OpenAPI document is
/// at /openapi/{service}/v1.json; every other page (and form) is the citizen portal's. Service names resolve through
/// Aspire's service discovery.
/// </summary>
public static class GatewayRoutes
{
    public const string Anonymous = "anonymous";
    public const string Authenticated = "default";
    private static readonly string[] ReadMethods = ["GET", "HEAD"];

    private sealed record Service(string Name, string[] HttpPrefixes, string[] GrpcServices);

    private static readonly Service[] Services =
    [
        new("registration", ["/api/registration", "/connect/token"], ["pb.registration.v1.RegistrationQuery"]),
        new("deliberation", ["/api/deliberation"], ["pb.deliberation.v1.ProposalQuery"]),
        new("technical-assessment", ["/api/assessment"], ["pb.assessment.v1.AssessmentQuery"]),
        new("coordination", ["/api/coordination"], ["pb.coordination.v1.CoordinationQuery"]),
        new("ministry-submission", ["/api/submissions", "/v1/submissions"], ["pb.ministry.v1.SubmissionQuery"]),
        new("oversight", ["/api/oversight"], ["pb.oversight.v1.ProgressQuery"]),
    ];

    public static IReadOnlyList<string> ServiceNames => Services.Select(s => s.Name).ToList();

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build()
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var s in Services)
        {
            var http = $"{s.Name}-http";
            var grpc = $"{s.Name}-grpc";
            clusters.Add(new ClusterConfig
            {
                ClusterId = http,
                Destinations = new Dictionary<string, DestinationConfig> { ["d"] = new() { Address = $"http://_http.{s.Name}" } },
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = grpc,
                Destinations = new Dictionary<string, DestinationConfig> { ["d"] = new() { Address = $"http://_grpc.{s.Name}" } },
                // gRPC needs HTTP/2 end to end; the services' gRPC endpoints speak it without TLS.
                HttpRequest = new ForwarderRequestConfig { Version = new Version(2, 0), VersionPolicy = HttpVersionPolicy.RequestVersionExact },
            });

            foreach (var prefix in s.HttpPrefixes)
            {
                var id = $"{s.Name}{prefix.Replace('/', '-')}";
                foreach (var (suffix, path) in new[] { ("", $"{prefix}/{{**rest}}"), ("-exact", prefix) })
                {
                    // Reads are public (DESIGN.md section 4): they pass without a token and each service decides
                    // what stays private. Writes need a token here already. Routing prefers the route that
                    // names the request's method over the one that names none.
                    routes.Add(Route($"{id}{suffix}-read", http, path, Anonymous, ReadMethods));
                    routes.Add(Route($"{id}{suffix}", http, path, Authenticated));
                }
            }
            foreach (var service in s.GrpcServices)
            {
                routes.Add(Route($"{s.Name}-{service}", grpc, $"/{service}/{{method}}", Authenticated));
            }
            routes.Add(Route($"{s.Name}-openapi", http, $"/openapi/{s.Name}/v1.json", Anonymous) with
            {
                Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
            });
        }

        // Getting a token cannot require one.
        routes.Add(Route("registration-token", "registration-http", "/connect/token", Anonymous) with { Order = -1 });
        routes.Add(Route("registration-dev-tokens", "registration-http", "/api/registration/dev-tokens", Anonymous) with { Order = -1 });

        // Everything no service claims is the citizen portal's: last in order, so the APIs, OpenAPI, gRPC and
        // the gateway's own health endpoints keep theirs.
        clusters.Add(new ClusterConfig
        {
            ClusterId = "portal-http",
            Destinations = new Dictionary<string, DestinationConfig> { ["d"] = new() { Address = "http://_http.portal" } },
        });
        // Its forms post back to it with the person's session cookie, not a bearer token: anonymous here, and
        // the portal checks each form's antiforgery token. The registration form carries three documents of up to 10 MB.
        routes.Add(Route("portal", "portal-http", "/{**path}", Anonymous) with { Order = int.MaxValue, MaxRequestBodySize = 32 * 1024 * 1024 });
        return (routes, clusters);
    }

    private static RouteConfig Route(string id, string cluster, string path, string policy, string[]? methods = null) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path, Methods = methods },
        AuthorizationPolicy = policy,
        RateLimiterPolicy = "per-client",
    };
}
