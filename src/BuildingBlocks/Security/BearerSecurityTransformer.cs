using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PBServices.BuildingBlocks.Security;

/// <summary>Tells integrators, in each OpenAPI document, that the API takes a bearer JWT and where to get one.</summary>
public sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    private const string Scheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT carrying role and jurisdiction claims: POST /connect/token (client credentials) for integrators, an OpenID Connect provider for people.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] });
        return Task.CompletedTask;
    }
}
