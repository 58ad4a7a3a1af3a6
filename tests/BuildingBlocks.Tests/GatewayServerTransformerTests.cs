using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using PBServices.BuildingBlocks.OpenApi;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>The server a client generated from a document calls is the public address the document was fetched through.</summary>
public sealed class GatewayServerTransformerTests
{
    [Fact]
    public async Task Behind_a_TLS_gateway_under_a_path_the_server_is_that_public_address()
    {
        var servers = await ServersAsync(new()
        {
            ["X-Forwarded-Proto"] = "https",
            ["X-Forwarded-Host"] = "presupuesto.ilo.gob.pe",
            ["X-Forwarded-Prefix"] = "/pp/",
        });
        Assert.Equal(["https://presupuesto.ilo.gob.pe/pp"], servers);
    }

    [Fact]
    public async Task Through_a_chain_of_proxies_the_server_is_the_address_the_caller_used()
    {
        var servers = await ServersAsync(new()
        {
            ["X-Forwarded-Proto"] = "https, http",
            ["X-Forwarded-Host"] = "pb.region-moquegua.gob.pe:8443, gateway.internal:5080",
        });
        Assert.Equal(["https://pb.region-moquegua.gob.pe:8443"], servers);
    }

    [Theory]
    [InlineData("javascript", "pb.example", "")]
    [InlineData("http", "pb.example/evil", "")]
    [InlineData("http", "user@pb.example", "")]
    [InlineData("http", "pb.example", "no-leading-slash")]
    [InlineData("http", "pb.example", "/pp?x=1")]
    public async Task Malformed_forwarded_headers_leave_the_service_address(string proto, string host, string prefix)
    {
        var servers = await ServersAsync(new() { ["X-Forwarded-Proto"] = proto, ["X-Forwarded-Host"] = host, ["X-Forwarded-Prefix"] = prefix });
        Assert.Equal(["http://localhost:5123"], servers);
    }

    [Fact]
    public async Task Fetched_directly_the_server_is_the_service_address_without_a_trailing_slash()
    {
        Assert.Equal(["http://localhost:5123"], await ServersAsync([]));
    }

    private static async Task<string?[]> ServersAsync(Dictionary<string, string> headers)
    {
        var http = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }
        // What the framework puts there itself: the address the service was reached at.
        var document = new OpenApiDocument { Servers = [new OpenApiServer { Url = "http://localhost:5123/" }] };
        var context = new OpenApiDocumentTransformerContext
        {
            DocumentName = "v1",
            DescriptionGroups = [],
            ApplicationServices = new ServiceCollection().BuildServiceProvider(),
        };
        await new GatewayServerTransformer(new HttpContextAccessor { HttpContext = http }).TransformAsync(document, context, TestContext.Current.CancellationToken);
        return document.Servers!.Select(s => s.Url).ToArray();
    }
}
