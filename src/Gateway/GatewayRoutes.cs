using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace PBServices.Gateway;

/// <summary>
/// The one public entry. HTTP APIs route by path prefix to the owning service's HTTP/1.1 endpoint; gRPC
/// routes by fully qualified service name to its HTTP/2 endpoint; each service's OpenAPI document is
/// at /openapi/{service}/v1.json. Service names resolve through Aspire's service discovery.
/// </summary>
public static class GatewayRoutes
{
    public const string Anonymous = "anonymous";
    public const string Authenticated = "default";

    private sealed record Service(string Name, string[] HttpPrefixes, string[] GrpcServices);

    private static readonly Service[] Services =
    [
        new("registration", ["/api/registration", "/connect/token"], ["pb.registration.v1.ProcessQuery"]),
        new("deliberation", ["/api/deliberation"], ["pb.deliberation.v1.ProposalQuery"]),
        new("technical-assessment", ["/api/assessment"], ["pb.assessment.v1.AssessmentQuery"]),
        new("coordination", ["/api/coordination"], ["pb.coordination.v1.CoordinationQuery"]),
        new("ministry-submission", ["/api/submissions", "/api/ministry"], ["pb.ministry.v1.MinistryIntake", "pb.ministry.v1.SubmissionQuery"]),
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
                routes.Add(Route($"{s.Name}{prefix.Replace('/', '-')}", http, $"{prefix}/{{**rest}}", Authenticated));
                routes.Add(Route($"{s.Name}{prefix.Replace('/', '-')}-exact", http, prefix, Authenticated));
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
        return (routes, clusters);
    }

    private static RouteConfig Route(string id, string cluster, string path, string policy) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
        AuthorizationPolicy = policy,
        RateLimiterPolicy = "per-client",
    };
}
