using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace PBServices.BuildingBlocks.OpenApi;

/// <summary>The description of a tag, declared where the endpoints that carry it are mapped (<c>.WithTag(name, description)</c>).</summary>
public sealed record TagDescription(string Name, string Description);

/// <summary>
/// Says in each document what the service is and how every PB Services API behaves. The title and what the
/// service does come from its project file (AssemblyTitle, Description), so they live beside the service.
/// </summary>
public sealed class DocumentInfoTransformer(IHostEnvironment environment) : IOpenApiDocumentTransformer
{
    private const string Conventions =
        "Reached through the gateway, the one public entry of a PB Services deployment, which limits each client's rate (429 when exceeded). " +
        "Requests carry a bearer JWT with role and jurisdiction claims, and no token acts on another jurisdiction's process. " +
        "A refused request is answered with RFC 9457 problem details (application/problem+json); where the input is at fault, `errors` names each field and the reason.";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var service = Assembly.Load(new AssemblyName(environment.ApplicationName));
        document.Info ??= new OpenApiInfo();
        document.Info.Title = service.GetCustomAttribute<AssemblyTitleAttribute>()?.Title ?? document.Info.Title;
        var purpose = service.GetCustomAttribute<AssemblyDescriptionAttribute>()?.Description;
        document.Info.Description = string.IsNullOrWhiteSpace(purpose) ? Conventions : $"{purpose}\n\n{Conventions}";

        var described = context.DescriptionGroups
            .SelectMany(g => g.Items)
            .SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<TagDescription>())
            .DistinctBy(t => t.Name);
        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var t in described)
        {
            if (document.Tags.FirstOrDefault(tag => tag.Name == t.Name) is { } tag)
            {
                tag.Description = t.Description;
            }
            else
            {
                document.Tags.Add(new OpenApiTag { Name = t.Name, Description = t.Description });
            }
        }
        return Task.CompletedTask;
    }
}
