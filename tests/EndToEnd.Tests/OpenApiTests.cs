using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;

namespace PBServices.EndToEnd.Tests;

/// <summary>What an integrator gets from the OpenAPI documents and the API reference at the gateway.</summary>
public sealed class OpenApiTests(SystemFixture system)
{
    private static readonly string[] Services = ["registration", "deliberation", "technical-assessment", "coordination", "ministry-submission", "oversight"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> ServiceNames => new(Services);

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task The_document_through_the_gateway_has_no_lint_error(string service)
    {
        var file = Path.Combine(Path.GetTempPath(), $"pb-openapi-{service}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await system.Gateway.GetStringAsync($"/openapi/{service}/v1.json", Ct), Ct);
        try
        {
            var problems = await OpenApiLinter.LintAsync(file, Ct);
            var errors = problems.Where(p => p.Severity == "error").ToList();
            var output = TestContext.Current.TestOutputHelper!;
            output.WriteLine($"{service}: {errors.Count} errors, {problems.Count - errors.Count} warnings");
            foreach (var p in problems)
            {
                output.WriteLine($"  {p.Severity} {p.RuleId} at {p.Pointer}: {p.Message}");
            }
            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.RuleId} at {e.Pointer}: {e.Message}")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_document_names_the_address_it_was_fetched_through_as_its_server()
    {
        var gateway = system.Gateway.BaseAddress!.GetLeftPart(UriPartial.Authority);
        foreach (var service in Services)
        {
            Assert.Equal([gateway], ServerUrls(await DocumentAsync(service)));
        }

        // Behind any public name of the gateway, not one configured in advance.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/deliberation/v1.json");
        request.Headers.Host = "presupuesto.ilo.example:8443";
        using var response = await system.Gateway.SendAsync(request, Ct);
        Assert.Equal(["http://presupuesto.ilo.example:8443"], ServerUrls(JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct))));

        // Fetched from the service itself, the document names the service.
        using var direct = system.App.CreateHttpClient("registration", "http");
        Assert.Equal([direct.BaseAddress!.GetLeftPart(UriPartial.Authority)], ServerUrls(JsonDocument.Parse(await direct.GetStringAsync("/openapi/v1.json", Ct))));
    }

    [Fact]
    public async Task Operations_have_ids_unique_across_the_deployment_summaries_and_their_problem_responses()
    {
        var ids = new List<string>();
        var operations = new Dictionary<string, JsonElement>();
        foreach (var service in Services)
        {
            foreach (var path in (await DocumentAsync(service)).RootElement.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject())
                {
                    var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                    ids.Add(operation.Value.GetProperty("operationId").GetString()!);
                    Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), $"{name} has no summary");
                    var refusals = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')).ToList();
                    Assert.True(refusals.Count > 0, $"{name} declares no 4xx response");
                    Assert.All(refusals, r => Assert.True(r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{name} {r.Name} is not problem details"));
                    operations[name] = operation.Value;
                }
            }
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());

        // An agent submitting a proposal can be refused for bad input, no token, the wrong role, an unknown process or the wrong stage.
        var submit = operations["POST /api/deliberation/processes/{processId}/proposals"];
        Assert.Equal(["201", "400", "401", "403", "404", "409"], submit.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.Equal("submitProposal", submit.GetProperty("operationId").GetString());

        // Getting a token needs none; the wrong secret is a 401 that says so.
        var token = operations["POST /connect/token"];
        Assert.Equal(0, token.GetProperty("security").GetArrayLength());
        Assert.Equal("Unknown client, or wrong secret.", token.GetProperty("responses").GetProperty("401").GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_gateway_serves_a_browsable_API_reference_over_the_five_documents_from_its_own_assets()
    {
        using var anonymous = system.App.CreateHttpClient("gateway", "http");
        using var page = await anonymous.GetAsync("/scalar/", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(Ct);
        foreach (var service in Services)
        {
            Assert.Contains($"\"url\":\"openapi/{service}/v1.json\"", html);
        }

        // Left on, the script would fetch fonts and send telemetry to Scalar's servers.
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);

        // Every script the page loads comes from the gateway itself, not a CDN, and is there.
        var scripts = Regex.Matches(html, "<script[^>]*\\ssrc=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.DoesNotMatch("(?i)(src|href)=\"(https?:)?//", html);
        foreach (var script in scripts)
        {
            using var asset = await anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, new Uri(script, UriKind.Relative)), Ct);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal("text/javascript", asset.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task<JsonDocument> DocumentAsync(string service) =>
        JsonDocument.Parse(await system.Gateway.GetStringAsync($"/openapi/{service}/v1.json", Ct));

    private static string[] ServerUrls(JsonDocument document) =>
        document.RootElement.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToArray();
}
