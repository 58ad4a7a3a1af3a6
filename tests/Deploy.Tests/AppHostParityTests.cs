using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PBServices.Deploy.Tests;

/// <summary>The manifests run what the AppHost runs, under the same names, and nothing else.</summary>
public partial class AppHostParityTests
{
    private static readonly AppHostModel AppHost = AppHostModel.Read();

    public static TheoryData<string> WholeDeployments => new("district", "regional");

    [Fact]
    public void The_AppHost_model_is_read_from_its_source()
    {
        // Guards the reader itself: an AppHost edit its patterns miss would otherwise empty every comparison.
        Assert.Equal(6, AppHost.ServiceDatabases.Count);
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

        Assert.Equal(AppHost.RegionalProjects.Order(), objects.OfKind("Deployment").Select(d => d.Name()).Order());
        Assert.Equal(AppHost.RegionalProjects.Order(), objects.OfKind("Service").Select(d => d.Name()).Order());
        Assert.Equal(AppHost.RegionalDatabases.Order(), objects.OfKind("Database").Select(d => (string)d["spec"]!["name"]!).Order());
        Assert.Equal([AppHost.Postgres], objects.OfKind("Cluster").Select(c => c.Name()));
        Assert.Equal([AppHost.Messaging], objects.OfKind("RabbitmqCluster").Select(c => c.Name()));
        Assert.All(objects.OfKind("Database"), d => Assert.Equal(AppHost.Postgres, (string?)d["spec"]!["cluster"]!["name"]));
    }

    [Fact]
    public void Every_national_resource_is_one_the_AppHost_runs_with_a_database_of_its_own()
    {
        // The national list is the test's; the AppHost must still run each entry, or the list names nothing.
        foreach (var resource in AppHostModel.NationalOnly.Keys)
        {
            Assert.Contains(resource, AppHost.Projects);
            Assert.True(AppHost.ProjectDatabases.TryGetValue(resource, out var database), $"{resource} has no database in the AppHost");
            Assert.DoesNotContain(database, AppHost.ServiceDatabases.Values);
        }
    }

    [Fact]
    public void The_national_overlay_is_the_national_intake_alone_with_its_own_database_and_no_broker()
    {
        var objects = Manifests.Render("national");
        var national = AppHost.NationalProjects.ToList();

        Assert.NotEmpty(national);
        Assert.Equal(national.Order(), objects.OfKind("Deployment").Select(d => d.Name()).Order());
        Assert.Equal(national.Order(), objects.OfKind("Service").Select(d => d.Name()).Order());
        Assert.Equal(national.Select(p => AppHost.ProjectDatabases[p]).Order(), objects.OfKind("Database").Select(d => (string)d["spec"]!["name"]!).Order());
        Assert.Equal([AppHost.Postgres], objects.OfKind("Cluster").Select(c => c.Name()));
        Assert.Empty(objects.OfKind("RabbitmqCluster"));
        Assert.DoesNotContain(objects.OfKind("NetworkPolicy"), p => p.Name() == AppHost.Messaging);
        Assert.Equal(national.Select(p => p.Replace('-', '_')).Order(),
            objects.Named("Cluster", AppHost.Postgres)["spec"]!["managed"]!["roles"]!.AsArray().Select(r => (string)r!["name"]!).Order());

        foreach (var service in national)
        {
            var database = AppHost.ProjectDatabases[service];
            var env = Env(objects.Named("Deployment", service));
            Assert.Equal($"Host={AppHost.Postgres}-rw;Port=5432;Database={database};Username=$(PG_USER);Password=$(PG_PASSWORD);SSL Mode=Require",
                (string?)env[$"ConnectionStrings__{database}"]["value"]);
            Assert.Equal(($"{AppHost.Postgres}-{service}", "username"), SecretRef(env["PG_USER"]));
            Assert.Equal(($"{AppHost.Postgres}-{service}", "password"), SecretRef(env["PG_PASSWORD"]));
            Assert.Equal(service.Replace('-', '_'), (string?)objects.Named("Database", database)["spec"]!["owner"]);
            Assert.False(env.ContainsKey($"ConnectionStrings__{AppHost.Messaging}"), service);
            // Its own trust domain: a token key of its own, never the deployments' pb-auth.
            var (keySecret, _) = SecretRef(env["Auth__SigningKey"]);
            Assert.NotNull(keySecret);
            Assert.NotEqual("pb-auth", keySecret);
        }
        var edges = objects.OfKind("Ingress").SelectMany(i => i["spec"]!["rules"]!.AsArray().SelectMany(r => r!["http"]!["paths"]!.AsArray()))
            .Select(p => (Path: (string)p!["path"]!, Service: (string)p["backend"]!["service"]!["name"]!, Port: (string)p["backend"]!["service"]!["port"]!["name"]!)).ToList();
        Assert.All(edges, e => Assert.Contains(e.Service, national));
        Assert.Contains(edges, e => e.Path == "/pb.intake.v1.MinistryIntake" && e.Port == "grpc");
        Assert.Contains(edges, e => e.Path == "/" && e.Port == "http");
    }

    [Fact]
    public void The_national_intake_gets_the_AppHost_settings_of_its_trust_domain_and_first_officer()
    {
        var objects = Manifests.Render("national");
        Assert.NotEmpty(AppHost.NationalProjects);
        foreach (var service in AppHost.NationalProjects)
        {
            var provided = Provided(objects, service);
            // The AppHost's other clients and enrolments are the local deployment's; a real one enrols through the officers' API.
            var expected = AppHost.Environment[service].Where(kv => kv.Key.StartsWith("Auth__", StringComparison.Ordinal) || kv.Key.StartsWith("Intake__Clients__0__", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(expected);
            foreach (var (name, literal) in expected)
            {
                Assert.True(provided.TryGetValue(name, out var value), $"{service}: {name} is not set");
                if (literal is not null)
                {
                    Assert.Equal(literal, value);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(WholeDeployments))]
    public void Ministry_submission_reaches_the_Ministry_with_every_setting_the_AppHost_gives_it_the_credentials_from_secrets(string overlay)
    {
        var objects = Manifests.Render(overlay);
        var env = Env(objects.Named("Deployment", "ministry-submission"));
        var provided = Provided(objects, "ministry-submission");
        var settings = AppHost.Environment["ministry-submission"].Keys.Where(k => k.StartsWith("Ministry__", StringComparison.Ordinal) || k.StartsWith("Submission__", StringComparison.Ordinal)).ToList();

        Assert.Contains("Ministry__IntakeUrl", settings);
        foreach (var name in settings)
        {
            Assert.True(provided.ContainsKey(name), $"{name} is not set");
            if (name.Contains("Secret", StringComparison.Ordinal) || name.Contains("Key", StringComparison.Ordinal))
            {
                Assert.NotNull(SecretRef(env[name]).Name);
            }
        }
        // The Ministry's address is the operator's to set, and it is not this deployment.
        Assert.StartsWith("https://", provided["Ministry__IntakeUrl"], StringComparison.Ordinal);
        Assert.DoesNotContain(objects.OfKind("Deployment"), d => AppHostModel.NationalOnly.ContainsKey(d.Name()));
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

    [Theory]
    [MemberData(nameof(WholeDeployments))]
    public void The_gRPC_ingress_takes_every_gRPC_service_the_gateway_routes_to_its_h2c_port(string overlay)
    {
        // A service added to the gateway but not here is unreachable over gRPC from outside, and nothing else says so.
        var source = File.ReadAllText(Path.Combine(Manifests.RepositoryRoot, "src", "Gateway", "GatewayRoutes.cs"));
        var routed = GatewayServicePattern().Matches(source).ToList();
        Assert.Equal(AppHost.GatewayRoutes.Order(), routed.Select(m => m.Groups["name"].Value).Order());
        var grpc = routed.SelectMany(m => QuotedPattern().Matches(m.Groups["grpc"].Value).Select(q => "/" + q.Groups[1].Value)).ToList();
        Assert.NotEmpty(grpc);

        var paths = Manifests.Render(overlay).Named("Ingress", "gateway-grpc")["spec"]!["rules"]!.AsArray()
            .SelectMany(r => r!["http"]!["paths"]!.AsArray())
            .Select(p => (Path: (string)p!["path"]!, Service: (string)p["backend"]!["service"]!["name"]!, Port: (string)p["backend"]!["service"]!["port"]!["name"]!))
            .ToList();
        Assert.All(paths, p => Assert.Equal(("gateway", "grpc"), (p.Service, p.Port)));
        Assert.Equal(grpc.Append("/grpc.reflection.v1alpha.ServerReflection").Order(), paths.Select(p => p.Path).Order());
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

    /// <summary>
    /// The settings a Deployment's container gets: the ConfigMaps it takes whole, then its env (a configMapKeyRef
    /// resolved to the value, a secretKeyRef as "secret:name/key").
    /// </summary>
    private static Dictionary<string, string?> Provided(IReadOnlyList<JsonObject> objects, string deployment)
    {
        var container = objects.Named("Deployment", deployment)["spec"]!["template"]!["spec"]!["containers"]![0]!;
        string? FromConfigMap(string name, string key) =>
            (string?)objects.OfKind("ConfigMap").Single(c => c.Name() == name)["data"]![key];
        var provided = new Dictionary<string, string?>();
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var name = (string)source!["configMapRef"]!["name"]!;
            foreach (var (key, _) in objects.OfKind("ConfigMap").Single(c => c.Name() == name)["data"]!.AsObject())
            {
                provided[key] = FromConfigMap(name, key);
            }
        }
        foreach (var (name, e) in Env(objects.Named("Deployment", deployment)))
        {
            provided[name] = e["valueFrom"]?["configMapKeyRef"] is JsonObject configMap
                ? FromConfigMap((string)configMap["name"]!, (string)configMap["key"]!)
                : e["valueFrom"]?["secretKeyRef"] is JsonObject secret ? $"secret:{secret["name"]}/{secret["key"]}" : (string?)e["value"];
        }
        return provided;
    }

    private static (string? Name, string? Key) SecretRef(JsonObject env) =>
        ((string?)env["valueFrom"]?["secretKeyRef"]?["name"], (string?)env["valueFrom"]?["secretKeyRef"]?["key"]);

    /// <summary>A service in GatewayRoutes.Services: new("name", [HTTP prefixes], [gRPC services]).</summary>
    [GeneratedRegex(@"new\(""(?<name>[^""]+)"",\s*\[(?<http>[^\]]*)\],\s*\[(?<grpc>[^\]]*)\]\)")]
    private static partial Regex GatewayServicePattern();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex QuotedPattern();
}
