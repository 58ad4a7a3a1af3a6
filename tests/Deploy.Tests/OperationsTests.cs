using System.Text.Json.Nodes;

namespace PBServices.Deploy.Tests;

/// <summary>What an operator relies on in every overlay: probes, limits, graceful shutdown, disruption budgets, isolation.</summary>
public class OperationsTests
{
    public static TheoryData<string> Overlays => new(Manifests.Overlays);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_container_has_requests_limits_health_probes_a_graceful_stop_and_runs_unprivileged(string overlay)
    {
        foreach (var deployment in Manifests.Render(overlay).OfKind("Deployment"))
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.True((bool?)pod["securityContext"]?["runAsNonRoot"], deployment.Name());
            Assert.InRange((long?)pod["terminationGracePeriodSeconds"] ?? 0, 15, 120);
            foreach (var c in pod["containers"]!.AsArray())
            {
                var where = $"{deployment.Name()}/{c!["name"]}";
                foreach (var kind in new[] { "requests", "limits" })
                {
                    Assert.True(c["resources"]?[kind]?["memory"] is not null, $"{where}: no memory {kind}");
                }
                Assert.True(c["resources"]?["requests"]?["cpu"] is not null, $"{where}: no cpu request");
                Assert.Equal("/health", (string?)c["readinessProbe"]?["httpGet"]?["path"]);
                Assert.Equal("/alive", (string?)c["livenessProbe"]?["httpGet"]?["path"]);
                Assert.True((long?)c["lifecycle"]?["preStop"]?["sleep"]?["seconds"] > 0, $"{where}: no preStop pause");
                Assert.False((bool?)c["securityContext"]?["allowPrivilegeEscalation"] ?? true, where);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_deployment_has_a_disruption_budget_and_a_network_policy_that_limits_its_egress(string overlay)
    {
        var objects = Manifests.Render(overlay);
        foreach (var deployment in objects.OfKind("Deployment"))
        {
            var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            bool Selects(JsonObject o) => o["spec"]!["selector"]?["matchLabels"] is JsonObject m ? Matches(m, labels) : Matches(o["spec"]!["podSelector"]!["matchLabels"]!.AsObject(), labels);

            Assert.Single(objects.OfKind("PodDisruptionBudget"), p => Selects(p));
            var policies = objects.OfKind("NetworkPolicy").Where(p => p["spec"]!["podSelector"]!["matchLabels"] is JsonObject m && m.Count > 0 && Matches(m, labels)).ToList();
            Assert.Contains(policies, p => p["spec"]!["policyTypes"]!.AsArray().Any(t => (string?)t == "Egress"));
        }
        Assert.Contains(objects.OfKind("NetworkPolicy"), p => p["spec"]!["podSelector"]!.AsObject().Count == 0
            && p["spec"]!["policyTypes"]!.AsArray().Any(t => (string?)t == "Ingress") && p["spec"]!["ingress"] is null);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Only_the_edge_is_reachable_from_outside(string overlay)
    {
        var objects = Manifests.Render(overlay);
        // A deployment's edge is its gateway; the national deployment's is the intake itself.
        var edge = overlay == "national" ? "national-intake" : "gateway";

        var backends = objects.OfKind("Ingress")
            .SelectMany(i => i["spec"]!["rules"]!.AsArray().SelectMany(r => r!["http"]!["paths"]!.AsArray()))
            .Select(p => (string)p!["backend"]!["service"]!["name"]!).Distinct();
        Assert.Equal([edge], backends);
        Assert.All(objects.OfKind("Service"), s => Assert.Null(s["spec"]!["type"]));
        // Apart from the edge, no PB pod admits traffic from another namespace or an address block.
        foreach (var policy in objects.OfKind("NetworkPolicy").Where(p => p.Name() != edge && p.Name() is not ("postgres" or "messaging" or "default-deny-ingress")))
        {
            var peers = (policy["spec"]!["ingress"]?.AsArray() ?? []).SelectMany(r => r!["from"]?.AsArray() ?? []).ToList();
            Assert.All(peers, p => Assert.True(p!["namespaceSelector"] is null && p["ipBlock"] is null, $"{policy.Name()} admits {p!.ToJsonString()}"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_pods_behind_a_proxy_take_the_client_address_and_scheme_from_forwarded_headers(string overlay)
    {
        foreach (var deployment in Manifests.Render(overlay).OfKind("Deployment").Where(d => d.Name() is "gateway" or "portal"))
        {
            var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            Assert.Contains(env, e => (string?)e!["name"] == "ASPNETCORE_FORWARDEDHEADERS_ENABLED" && (string?)e["value"] == "true");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void No_secret_value_is_in_the_repository(string overlay)
    {
        var objects = Manifests.Render(overlay);

        Assert.Empty(objects.OfKind("Secret"));
        var values = objects.OfKind("Deployment")
            .SelectMany(d => d["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
            .SelectMany(c => c!["env"]?.AsArray() ?? [])
            .Where(e => e!["value"] is not null)
            .Select(e => ((string)e!["name"]!, (string)e["value"]!));
        Assert.All(values, v => Assert.False(v.Item1.Contains("Key", StringComparison.OrdinalIgnoreCase) || v.Item1.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
            || (v.Item2.Contains("Password=", StringComparison.Ordinal) && !v.Item2.Contains("Password=$(", StringComparison.Ordinal)), v.Item1));
    }

    [Fact]
    public void The_regional_overlay_is_highly_available_and_the_district_fits_one_node()
    {
        var regional = Manifests.Render("regional");
        var district = Manifests.Render("district");

        Assert.Equal(3L, (long?)regional.Named("Cluster", "postgres")["spec"]!["instances"]);
        Assert.Equal(3L, (long?)regional.Named("RabbitmqCluster", "messaging")["spec"]!["replicas"]);
        // The portal stays at one replica until its antiforgery keys are shared (docs/deploy.md, "Limits").
        Assert.All(regional.OfKind("Deployment").Where(d => d.Name() != "portal"), d => Assert.True((long?)d["spec"]!["replicas"] >= 2, d.Name()));
        Assert.Equal(["deliberation", "gateway"], regional.OfKind("HorizontalPodAutoscaler").Select(h => (string)h["spec"]!["scaleTargetRef"]!["name"]!).Order());
        // KEDA makes its own HorizontalPodAutoscaler: two on one Deployment would fight.
        var scaled = regional.OfKind("ScaledObject").Select(s => (string)s["spec"]!["scaleTargetRef"]!["name"]!).ToList();
        Assert.Empty(scaled.Intersect(regional.OfKind("HorizontalPodAutoscaler").Select(h => (string)h["spec"]!["scaleTargetRef"]!["name"]!)));
        Assert.Equal(["coordination", "ministry-submission", "oversight", "technical-assessment"], scaled.Order());

        Assert.Equal(1L, (long?)district.Named("Cluster", "postgres")["spec"]!["instances"]);
        Assert.Equal(1L, (long?)district.Named("RabbitmqCluster", "messaging")["spec"]!["replicas"]);
        Assert.All(district.OfKind("Deployment"), d => Assert.Equal(1L, (long?)d["spec"]!["replicas"]));
        Assert.Empty(district.OfKind("HorizontalPodAutoscaler"));
        Assert.Empty(district.OfKind("ScaledObject"));
    }

    [Fact]
    public void The_national_intake_is_highly_available_scales_on_CPU_and_reaches_only_its_database_and_DNS()
    {
        var national = Manifests.Render("national");

        Assert.Equal(3L, (long?)national.Named("Cluster", "postgres")["spec"]!["instances"]);
        Assert.All(national.OfKind("Deployment"), d => Assert.True((long?)d["spec"]!["replicas"] >= 2, d.Name()));
        Assert.Equal(["national-intake"], national.OfKind("HorizontalPodAutoscaler").Select(h => (string)h["spec"]!["scaleTargetRef"]!["name"]!));
        Assert.Empty(national.OfKind("ScaledObject"));
        var egress = national.Named("NetworkPolicy", "national-intake")["spec"]!["egress"]!.AsArray()
            .Select(r => (Peer: r!["to"]![0]!.ToJsonString(), Ports: string.Join(",", r["ports"]!.AsArray().Select(p => $"{p!["port"]}/{p["protocol"]}"))))
            .ToList();
        Assert.Equal(2, egress.Count);
        Assert.Contains(egress, e => e.Peer.Contains("\"cnpg.io/cluster\":\"postgres\"", StringComparison.Ordinal) && e.Ports == "5432/TCP");
        Assert.Contains(egress, e => e.Peer.Contains("kube-dns", StringComparison.Ordinal) && e.Ports == "53/UDP,53/TCP");
    }

    private static bool Matches(JsonObject selector, JsonObject labels) =>
        selector.All(kv => (string?)labels[kv.Key] == (string?)kv.Value);
}
