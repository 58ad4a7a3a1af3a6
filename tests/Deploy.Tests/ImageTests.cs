using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PBServices.Deploy.Tests;

/// <summary>The images the manifests run are the ones `dotnet publish -t:PublishContainer` builds from each project.</summary>
public class ImageTests
{
    private static readonly AppHostModel AppHost = AppHostModel.Read();

    [Fact]
    public async Task Every_deployment_runs_the_image_its_project_publishes_on_a_chiseled_base_as_a_non_root_user()
    {
        var ct = TestContext.Current.CancellationToken;
        var projects = AppHost.DeployedProjects.ToDictionary(p => p, p => Path.Combine("src", AppHost.ProjectPaths[p], AppHost.ProjectPaths[p] + ".csproj"));
        // The district runs every regional image, the national overlay the intake's.
        var deployments = Manifests.Render("district").OfKind("Deployment").Concat(Manifests.Render("national").OfKind("Deployment")).ToList();
        Assert.Equal(projects.Keys.Order(), deployments.Select(d => d.Name()).Order());

        var evaluated = await Task.WhenAll(projects.Select(async kv => (Name: kv.Key, Properties: await EvaluateAsync(kv.Value, ct))));
        foreach (var (name, properties) in evaluated)
        {
            var container = deployments.Single(d => d.Name() == name)["spec"]!["template"]!["spec"]!["containers"]![0]!;
            Assert.Equal($"{properties["ContainerRepository"]}:{properties["ContainerImageTag"]}", (string?)container["image"]);
            Assert.Equal("true", (string?)properties["EnableSdkContainerSupport"]);
            Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled", (string?)properties["ContainerBaseImage"], StringComparison.Ordinal);
            Assert.True(int.TryParse((string?)properties["ContainerUser"], out var uid) && uid > 0, $"{name}: image user {properties["ContainerUser"]}");
        }
    }

    private static async Task<JsonObject> EvaluateAsync(string project, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet", ["msbuild", Path.Combine(Manifests.RepositoryRoot, project), "-nologo",
            "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getProperty:ContainerBaseImage",
            "-getProperty:ContainerUser", "-getProperty:EnableSdkContainerSupport"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {project}: {output}{await process.StandardError.ReadToEndAsync(ct)}");
        return JsonNode.Parse(output)!["Properties"]!.AsObject();
    }
}
