using System.Text.Json.Nodes;

namespace PBServices.Deploy.Tests;

/// <summary>The manifests run what the AppHost runs, under the same names, and nothing else.</summary>
public class AppHostParityTests
{
    private static readonly AppHostModel AppHost = AppHostModel.Read();

    public static TheoryData<string> WholeDeployments => new("district", "regional");

    [Fact]
    public void The_AppHost_model_is_read_from_its_source()
    {
        // Guards the reader itself: an AppHost edit its patterns miss would otherwise empty every comparison.
        Assert.Equal(5, AppHost.ServiceDatabases.Count);
        Assert.Contains("gateway", AppHost.Projects);
        Assert.Contains("portal", AppHost.Projects);
        Assert.Equal(AppHost.ServiceDatabases.Keys.Order(), AppHost.GatewayRoutes.Order());
        Assert.Equal("postgres", AppHost.Postgres);
        Assert.Equal("messaging", AppHost.Messaging);
    }

    [Theory]
    [MemberData(nameof(WholeDeployments))]
    public void Every_AppHost_resource_has_its_manifests_and_every_manifest_an_AppHost_resource(string overlay)
    {
        var objects = Manifests.Render(overlay);

        Assert.Equal(AppHost.DeployedProjects.Order(), objects.OfKind("Deployment").Select(d => d.Name()).Order());
        Assert.Equal(AppHost.DeployedProjects.Order(), objects.OfKind("Service").Select(d => d.Name()).Order());
        Assert.Equal(AppHost.Databases.Order(), objects.OfKind("Database").Select(d => (string)d["spec"]!["name"]!).Order());
        Assert.Equal([AppHost.Postgres], objects.OfKind("Cluster").Select(c => c.Name()));
        Assert.Equal([AppHost.Messaging], objects.OfKind("RabbitmqCluster").Select(c => c.Name()));
        Assert.All(objects.OfKind("Database"), d => Assert.Equal(AppHost.Postgres, (string?)d["spec"]!["cluster"]!["name"]));
    }

    [Fact]
    public void The_national_overlay_is_the_Ministry_intake_alone()
    {
        var objects = Manifests.Render("national");

        Assert.Equal(["gateway", "ministry-submission"], objects.OfKind("Deployment").Select(d => d.Name()).Order());
        Assert.Equal([AppHost.ServiceDatabases["ministry-submission"]], objects.OfKind("Database").Select(d => (string)d["spec"]!["name"]!));
        Assert.Equal(["ministry_submission"], objects.Named("Cluster", AppHost.Postgres)["spec"]!["managed"]!["roles"]!.AsArray().Select(r => (string)r!["name"]!));
        var routes = objects.Generated("gateway-routes")["data"]!.AsObject().Select(kv => kv.Key).Order();
        Assert.Equal(["services__ministry-submission__grpc__0", "services__ministry-submission__http__0"], routes);
        var grpcPaths = objects.Named("Ingress", "gateway-grpc")["spec"]!["rules"]![0]!["http"]!["paths"]!.AsArray().Select(p => (string)p!["path"]!);
        Assert.All(grpcPaths, p => Assert.True(p.StartsWith("/pb.ministry.", StringComparison.Ordinal) || p.StartsWith("/grpc.reflection.", StringComparison.Ordinal), p));
    }

    [Theory]
    [MemberData(nameof(WholeDeployments))]
    public void Each_service_reads_its_connection_strings_from_the_operators_secrets_under_the_AppHost_names(string overlay)
    {
        var objects = Manifests.Render(overlay);
        foreach (var (service, database) in AppHost.ServiceDatabases)
        {
            var env = Env(objects.Named("Deployment", service));

            var connection = (string?)env[$"ConnectionStrings__{database}"]["value"];
            Assert.Equal($"Host={AppHost.Postgres}-rw;Port=5432;Database={database};Username=$(PG_USER);Password=$(PG_PASSWORD);SSL Mode=Require", connection);
            // Its own role: the secret the cluster's managed role takes its password from, the role owning its database.
            Assert.Equal(($"{AppHost.Postgres}-{service}", "username"), SecretRef(env["PG_USER"]));
            Assert.Equal(($"{AppHost.Postgres}-{service}", "password"), SecretRef(env["PG_PASSWORD"]));
            var role = service.Replace('-', '_');
            Assert.Equal(role, (string?)objects.Named("Database", database)["spec"]!["owner"]);
            var managed = objects.Named("Cluster", AppHost.Postgres)["spec"]!["managed"]!["roles"]!.AsArray();
            Assert.Equal($"{AppHost.Postgres}-{service}", (string?)managed.Single(r => (string?)r!["name"] == role)!["passwordSecret"]!["name"]);
            Assert.Equal(($"{AppHost.Messaging}-default-user", "connection_string"), SecretRef(env[$"ConnectionStrings__{AppHost.Messaging}"]));
            // Kubernetes expands $(VAR) only from variables defined earlier in the list.
            var names = env.Keys.ToList();
            Assert.True(names.IndexOf("PG_PASSWORD") < names.IndexOf($"ConnectionStrings__{database}"), service);
        }
    }

    [Fact]
    public void The_gateway_finds_every_service_the_AppHost_routes_to_and_the_portal()
    {
        var routes = Manifests.Render("district").Generated("gateway-routes")["data"]!.AsObject();

        var expected = AppHost.GatewayRoutes.SelectMany(s => new[] { $"services__{s}__http__0", $"services__{s}__grpc__0" })
            .Append("services__portal__http__0");
        Assert.Equal(expected.Order(), routes.Select(kv => kv.Key).Order());
        foreach (var (key, value) in routes)
        {
            var service = key.Split("__")[1];
            Assert.Equal(key.EndsWith("__grpc__0", StringComparison.Ordinal) ? $"http://{service}:8081" : $"http://{service}:8080", (string?)value);
        }
    }

    [Fact]
    public void Every_consumer_queue_of_an_autoscaled_service_drives_its_scaler_and_no_trigger_names_a_queue_nobody_declares()
    {
        foreach (var overlay in new[] { "regional", "national" })
        {
            foreach (var scaled in Manifests.Render(overlay).OfKind("ScaledObject"))
            {
                var service = (string)scaled["spec"]!["scaleTargetRef"]!["name"]!;
                var queues = scaled["spec"]!["triggers"]!.AsArray().Select(t => (string)t!["metadata"]!["queueName"]!);
                Assert.Equal(AppHost.ConsumerQueues(service).Order(), queues.Order());
            }
        }
    }

    private static Dictionary<string, JsonObject> Env(JsonObject deployment) =>
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .Select(e => e!.AsObject()).ToDictionary(e => (string)e["name"]!);

    private static (string? Name, string? Key) SecretRef(JsonObject env) =>
        ((string?)env["valueFrom"]?["secretKeyRef"]?["name"], (string?)env["valueFrom"]?["secretKeyRef"]?["key"]);
}
