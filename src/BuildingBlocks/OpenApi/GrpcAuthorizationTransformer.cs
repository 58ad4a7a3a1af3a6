using System.Text.Json.Nodes;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace PBServices.BuildingBlocks.OpenApi;

/// <summary>
/// Lists in the OpenAPI document, as the x-pb-grpc extension, every gRPC method the service serves with who may
/// call it (<see cref="EndpointAuthorization"/>). gRPC methods are endpoints with the same authorization metadata
/// as the HTTP ones, but no OpenAPI operation; the document is already public, fetched through the gateway and
/// read by the checks, so one document says who may call everything the service answers, rather than a second one
/// or a table in a test that would drift from the [Authorize] attributes.
/// </summary>
public sealed class GrpcAuthorizationTransformer(EndpointDataSource endpoints, IAuthorizationPolicyProvider policies) : IOpenApiDocumentTransformer
{
    public const string Extension = "x-pb-grpc";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var methods = new JsonObject();
        foreach (var endpoint in endpoints.Endpoints)
        {
            // Reflection is the discovery service, public like the document; the rest are the service's own.
            if (endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc || grpc.Method.ServiceName.StartsWith("grpc.reflection.", StringComparison.Ordinal))
            {
                continue;
            }
            methods[grpc.Method.FullName] = await EndpointAuthorization.DescribeAsync([.. endpoint.Metadata], policies);
        }
        if (methods.Count > 0)
        {
            document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            document.Extensions[Extension] = new JsonNodeExtension(methods);
        }
    }
}
