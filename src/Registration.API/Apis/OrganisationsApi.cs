using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Registration.Domain;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Apis;

public static class OrganisationsApi
{
    public static RouteGroupBuilder MapOrganisationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registration/organisations")
            .WithTag("Organisations", "Civil-society organisations, with their registry entry, type, territory and members, which register participating agents.");
        api.MapPost("/", RegisterOrganisation).RequireAuthorization(Policies.Applicant)
            .InAnyJurisdiction("Registers an organisation of the token's own jurisdiction")
            .WithSummary("Register a civil-society organisation of the token's jurisdiction")
            .Refuses(StatusCodes.Status409Conflict, "An organisation with that registry entry is already registered.");
        api.MapGet("/", ListOrganisations).AllowAnonymous()
            .WithSummary("List the organisations of a jurisdiction (ubigeo), by name");
        api.MapGet("/{organisationId:guid}", GetOrganisation).AllowAnonymous()
            .WithSummary("Get an organisation");
        return api;
    }

    public sealed record RegistryRequest(string? Kind, string? Number, DateOnly? Date);
    public sealed record RegisterOrganisationRequest(string? Name, string? Type, RegistryRequest? Registry, string? Territory, int ActiveMembers);
    public sealed record OrganisationResponse(Guid Id, string Name, OrganisationType Type, RegistryEntry Registry, string Territory, int ActiveMembers);

    private static async Task<Created<OrganisationResponse>> RegisterOrganisation(RegisterOrganisationRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var actor = user.AsOneOf(Roles.Resident, Roles.ProcessAdmin);
        var organisation = Organisation.Register(user.Jurisdiction(), actor.Subject, request.Name, request.Type, request.Registry?.Kind, request.Registry?.Number,
            request.Registry?.Date, request.Territory, request.ActiveMembers, Calendar.Today(uow.Now));
        await uow.InsertOrganisationAsync(organisation, ct);
        uow.Audit(actor, "organisation.registered", null, organisation.Id.ToString(),
            new { organisation.Name, organisation.Type, organisation.Registry, organisation.Territory, organisation.ActiveMembers });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/organisations/{organisation.Id}", ToResponse(organisation));
    }

    private static async Task<Ok<OrganisationResponse[]>> ListOrganisations(string? jurisdiction, UnitOfWorkFactory db, CancellationToken ct)
    {
        var code = Ubigeo.Parse("jurisdiction", jurisdiction);
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok((await uow.ListOrganisationsAsync(code, ct)).Select(ToResponse).ToArray());
    }

    private static async Task<Ok<OrganisationResponse>> GetOrganisation(Guid organisationId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(ToResponse(await uow.FindOrganisationAsync(organisationId, ct) ?? throw new NotFoundException("Organisation", organisationId)));
    }

    private static OrganisationResponse ToResponse(Organisation o) => new(o.Id, o.Name, o.Type, o.Registry, o.Territory, o.ActiveMembers);
}
