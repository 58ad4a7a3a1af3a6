using Microsoft.AspNetCore.Http;
using PBServices.BuildingBlocks.OpenApi;

// Beside WithTags and WithSummary, so mapping code needs no extra using.
namespace Microsoft.AspNetCore.Builder;

public static class EndpointOpenApiExtensions
{
    /// <summary>Tags the endpoints and tells integrators, in the OpenAPI document, what the tag groups.</summary>
    public static TBuilder WithTag<TBuilder>(this TBuilder builder, string name, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithTags(name).WithMetadata(new TagDescription(name, description));

    /// <summary>
    /// Declares a problem-details answer that only the handler knows it gives (a state conflict, another
    /// jurisdiction), with what it means for this endpoint; the generic ones are derived by OperationConventionsTransformer.
    /// </summary>
    public static TBuilder Refuses<TBuilder>(this TBuilder builder, int statusCode, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(statusCode, OperationConventionsTransformer.ProblemType(statusCode), ["application/problem+json"]) { Description = description });

    /// <summary>
    /// Declares the roles the handler admits where the policy lets more through and the handler decides (an
    /// agent reading only their own record, the process-admin any): the OpenAPI document's x-pb-authorization says so.
    /// </summary>
    public static TBuilder Permits<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PermitsAttribute(roles));

    /// <summary>
    /// Declares an authenticated endpoint that is not about one jurisdiction's process, with why: it answers with the caller's
    /// own (their records, their jurisdiction's), or, with <paramref name="publicData"/>, with public data of every jurisdiction.
    /// </summary>
    public static TBuilder InAnyJurisdiction<TBuilder>(this TBuilder builder, string reason, bool publicData = false) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnyJurisdictionAttribute(reason) { PublicData = publicData });
}
