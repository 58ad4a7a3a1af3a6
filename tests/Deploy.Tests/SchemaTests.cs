using System.Text.Json.Nodes;

namespace PBServices.Deploy.Tests;

public class SchemaTests
{
    public static TheoryData<string> Overlays => new(Manifests.Overlays);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_object_an_overlay_renders_matches_the_schema_of_its_kind(string overlay)
    {
        var objects = Manifests.Render(overlay);
        Assert.NotEmpty(objects);
        var problems = objects
            .SelectMany(o => Schemas.Validate(o).Select(p => $"{o["kind"]} {o.Name()}: {p}"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_misspelt_field_in_a_Deployment_is_refused_where_it_is()
    {
        var deployment = Manifests.Render("district").Named("Deployment", "gateway");
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container["readinessProbe"]!.AsObject()["httpGett"] = new JsonObject { ["path"] = "/health" };

        var problems = Schemas.Validate(deployment);

        Assert.Contains(problems, p => p.StartsWith("/spec/template/spec/containers/0/readinessProbe", StringComparison.Ordinal));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused()
    {
        var deployment = Manifests.Render("district").Named("Deployment", "deliberation");
        deployment["spec"]!["replicas"] = "two";

        Assert.Contains(Schemas.Validate(deployment), p => p.StartsWith("/spec/replicas", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_required_field_is_refused()
    {
        var deployment = Manifests.Render("district").Named("Deployment", "registration");
        deployment["spec"]!.AsObject().Remove("selector");

        Assert.Contains(Schemas.Validate(deployment), p => p.StartsWith("/spec", StringComparison.Ordinal) && p.Contains("selector", StringComparison.Ordinal));
    }

    [Fact]
    public void An_operator_resource_with_a_field_its_CRD_does_not_have_is_refused()
    {
        var objects = Manifests.Render("regional");
        var rabbit = objects.Named("RabbitmqCluster", "messaging");
        rabbit["spec"]!.AsObject()["replica"] = 3;
        var cluster = objects.Named("Cluster", "postgres");
        cluster["spec"]!["instances"] = "three";

        Assert.Contains(Schemas.Validate(rabbit), p => p.StartsWith("/spec", StringComparison.Ordinal) && p.Contains("replica", StringComparison.Ordinal));
        Assert.Contains(Schemas.Validate(cluster), p => p.StartsWith("/spec/instances", StringComparison.Ordinal));
    }

    [Fact]
    public void An_object_whose_kind_has_no_schema_is_refused_rather_than_passed()
    {
        var unknown = new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "CronJob", ["metadata"] = new JsonObject { ["name"] = "x" } };

        Assert.Equal(["no schema for batch/v1/CronJob: add it to deploy/kubernetes/schemas (extract.py)"], Schemas.Validate(unknown));
    }

    [Fact]
    public void A_wrong_apiVersion_for_a_kind_is_refused()
    {
        var pdb = Manifests.Render("district").Named("PodDisruptionBudget", "gateway");
        pdb["apiVersion"] = "policy/v1beta1";

        Assert.NotEmpty(Schemas.Validate(pdb));
    }
}
