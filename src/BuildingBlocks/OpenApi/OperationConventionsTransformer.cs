using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace PBServices.BuildingBlocks.OpenApi;

/// <summary>
/// Declares in every operation what the shared plumbing does to it, so no endpoint has to repeat it: the
/// operation id (the endpoint name, else the handler's name), no token needed where the endpoint allows
/// anonymous callers, and the problem-details answers it can give — 400 where it reads a body, form, query
/// or header (unreadable input and domain refusals), 401 where a token is required, 403 where a role is,
/// 404 where the path names a resource — each with problem-details content and what it means. Statuses
/// only the handler knows of (a 409 on a stage conflict, a 403 on another jurisdiction) are declared where
/// the endpoint is mapped, with <c>.Refuses(status, why)</c>. Who may call it is the x-pb-authorization
/// extension (<see cref="EndpointAuthorization"/>).
/// </summary>
public sealed class OperationConventionsTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<int, string> Meanings = new()
    {
        [StatusCodes.Status400BadRequest] = "The input was refused: it could not be read, or it breaks a rule (then `errors` names each field and the reason).",
        [StatusCodes.Status401Unauthorized] = "No bearer token, or one that is expired or not from a trusted issuer.",
        [StatusCodes.Status403Forbidden] = "The token's role or jurisdiction does not allow this.",
        [StatusCodes.Status404NotFound] = "The resource the path names does not exist.",
        [StatusCodes.Status409Conflict] = "The request conflicts with the current state (the stage of the process, something already done, a duplicate); `errors` names the field.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if ((operation.OperationId ?? HandlerName(metadata)) is { Length: > 0 } id)
        {
            operation.OperationId = char.ToLowerInvariant(id[0]) + id[1..];
        }

        // The fallback policy requires a token wherever the endpoint does not allow anonymous callers.
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (anonymous)
        {
            operation.Security = [];
        }
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions[EndpointAuthorization.Extension] = new JsonNodeExtension(
            await EndpointAuthorization.DescribeAsync([.. metadata], context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>()));

        operation.Responses ??= new OpenApiResponses();
        var sources = context.Description.ParameterDescriptions.Select(p => p.Source).ToList();
        if (sources.Any(s => s == BindingSource.Body || s == BindingSource.Form || s == BindingSource.FormFile || s == BindingSource.Query || s == BindingSource.Header))
        {
            operation.Responses.TryAdd("400", new OpenApiResponse());
        }
        if (!anonymous)
        {
            operation.Responses.TryAdd("401", new OpenApiResponse());
            if (RequiresRole(metadata) || metadata.OfType<PermitsAttribute>().Any())
            {
                operation.Responses.TryAdd("403", new OpenApiResponse());
            }
        }
        if (sources.Contains(BindingSource.Path))
        {
            operation.Responses.TryAdd("404", new OpenApiResponse());
        }

        // Rebuilt in status order, so a reader sees the success first and the refusals from 400 up.
        var responses = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (code, response) in responses)
        {
            var why = metadata.OfType<IProducesResponseTypeMetadata>().LastOrDefault(m => m.StatusCode.ToString() == code)?.Description;
            operation.Responses[code] = int.TryParse(code, out var status) && status is >= 400 and < 500
                ? await ProblemResponseAsync(status, why, response, context, cancellationToken)
                : response;
        }
    }

    private static string? HandlerName(IList<object> metadata) =>
        // Lambdas have compiler-generated names; they need .WithName.
        metadata.OfType<MethodInfo>().FirstOrDefault()?.Name is { } name && name.All(char.IsLetterOrDigit) ? name : null;

    private static bool RequiresRole(IList<object> metadata) =>
        metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles))
        || metadata.OfType<AuthorizationPolicy>().Any(p => p.Requirements.Any(r => r is not Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement));

    /// <summary>Refusals of the input carry the field map (ValidationProblemDetails); the others do not.</summary>
    internal static Type ProblemType(int status) =>
        status is StatusCodes.Status400BadRequest or StatusCodes.Status409Conflict ? typeof(HttpValidationProblemDetails) : typeof(Microsoft.AspNetCore.Mvc.ProblemDetails);

    private static async Task<IOpenApiResponse> ProblemResponseAsync(int status, string? why, IOpenApiResponse declared, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = why
            ?? (string.IsNullOrEmpty(declared.Description) || declared.Description == ReasonPhrases.GetReasonPhrase(status)
                ? Meanings.GetValueOrDefault(status, ReasonPhrases.GetReasonPhrase(status))
                : declared.Description);
        if (declared.Content?.TryGetValue(ProblemJson, out var media) == true && media.Schema is not null)
        {
            return new OpenApiResponse { Description = description, Content = declared.Content, Headers = declared.Headers };
        }
        return new OpenApiResponse
        {
            Description = description,
            Headers = declared.Headers,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = await SchemaReferenceAsync(ProblemType(status), context, ct) } },
        };
    }

    private static async Task<IOpenApiSchema> SchemaReferenceAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document");
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        }
        return new OpenApiSchemaReference(type.Name, document);
    }
}
