using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Registration.Domain;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Apis;

public static class ApplicationsApi
{
    public static RouteGroupBuilder MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/registration/applications/mine", ListMyApplications).RequireAuthorization(Policies.Applicant)
            .InAnyJurisdiction("The caller's own applications, whichever process they went to")
            .WithTags("Applications")
            .WithSummary("List the applications the signed-in person submitted, with their status and observations");

        var api = app.MapGroup("/api/registration/processes/{processId:guid}/applications")
            .WithTag("Applications", "An organisation's registration of its representative and alternate, its documents, and the accreditation committee's review.");
        api.MapPost("/", SubmitApplication).RequireAuthorization(Policies.Applicant)
            .WithSummary("Register an organisation's representative and alternate in a process, online or at the desk")
            .Refuses(StatusCodes.Status409Conflict, "Outside the registration window, the organisation already applied, or a DNI is already registered in the process.");
        api.MapGet("/", ReviewQueue).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("The committee's review queue: the applications of a process, optionally of one status, with the persons' DNI");
        api.MapGet("/{applicationId:guid}", GetApplication).Permits(Roles.Resident, Roles.ProcessAdmin)
            .WithSummary("Get an application (its submitter or the process-admin)");
        api.MapPost("/{applicationId:guid}/documents", UploadDocument).RequireAuthorization(Policies.Applicant).DisableAntiforgery()
            .WithSummary("Upload a document of the application (PDF, JPEG or PNG by content, at most 10 MB)")
            .Refuses(StatusCodes.Status409Conflict, "The application is already decided, or review has closed.");
        api.MapGet("/{applicationId:guid}/documents/{documentId:guid}", DownloadDocument).Permits(Roles.Resident, Roles.ProcessAdmin)
            .WithSummary("Download a document of the application (its submitter or the process-admin)");
        api.MapPost("/{applicationId:guid}/agents/{agentId:guid}/identity", ConfirmIdentity).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("Record that an officer confirmed a person against their DNI card, at the desk or scanned")
            .Refuses(StatusCodes.Status409Conflict, "Review has closed, or the application is already decided.");
        api.MapPost("/{applicationId:guid}/review", ReviewApplication).RequireAuthorization(Roles.ProcessAdmin)
            .WithSummary("The accreditation committee's decision: eligible, observed (what to correct, by when) or rejected, with reasons")
            .Refuses(StatusCodes.Status409Conflict, "The application is not awaiting review, an identity is unconfirmed, a document is missing, or review has closed.");
        api.MapPut("/{applicationId:guid}/agents/{agentId:guid}", CorrectAgent).RequireAuthorization(Policies.Applicant)
            .WithSummary("Correct a person of an observed application")
            .Refuses(StatusCodes.Status409Conflict, "The application is not observed, or the correction date has passed.");
        api.MapPost("/{applicationId:guid}/resubmission", ResubmitApplication).RequireAuthorization(Policies.Applicant)
            .WithSummary("Resubmit an observed application once corrected")
            .Refuses(StatusCodes.Status409Conflict, "The application is not observed, or the correction date has passed.");
        return api;
    }

    public sealed record SubmitApplicationRequest(Guid OrganisationId, string? Channel, List<PersonDetails>? Agents);
    public sealed record ReviewRequest(string? Decision, string? Reasons, DateOnly? CorrectBy);
    public sealed record IdentityRequest(string? Method);
    /// <summary>A person as an application shows them; the DNI only in the committee's views, absent (not null) elsewhere.</summary>
    public sealed record ApplicationAgentResponse(Guid Id, AgentRole Role, string FullName, Gender? Gender, int? BirthYear, AgentStatus Status, bool IdentityConfirmed,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Dni,
        string? Phone, string? Email);
    public sealed record DocumentResponse(Guid Id, DocumentKind Kind, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt);
    public sealed record ApplicationResponse(Guid Id, Guid ProcessId, Guid OrganisationId, string OrganisationName, Channel Channel, ApplicationStatus Status,
        DateTimeOffset SubmittedAt, string? Observations, DateOnly? CorrectBy, string? Reasons, ApplicationAgentResponse[] Agents, DocumentResponse[] Documents,
        DocumentKind[] MissingDocuments);

    private static async Task<Created<ApplicationResponse>> SubmitApplication(Guid processId, SubmitApplicationRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        var actor = user.AsOneOf(Roles.Resident, Roles.ProcessAdmin);
        if (actor.Role == Roles.ProcessAdmin)
        {
            user.EnsureActsFor(process.Jurisdiction);
        }
        else
        {
            user.EnsureTakesPartIn(process);
        }
        var organisation = await uow.FindOrganisationAsync(request.OrganisationId, ct);
        var application = AgentApplication.Submit(process, request.OrganisationId, organisation, request.Channel, request.Agents, actor.Subject, uow.Now);
        await uow.InsertApplicationAsync(application, ct);
        // The DNI and contacts are personal data: the trail names the people, never their document numbers.
        uow.Audit(actor, "application.submitted", processId, application.Id.ToString(), new
        {
            application.OrganisationId, application.Channel, Agents = application.Agents.Select(a => new { a.Id, a.Role, a.FullName }),
        });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{processId}/applications/{application.Id}", ToResponse(application, officer: actor.Role == Roles.ProcessAdmin));
    }

    private static async Task<Ok<ApplicationResponse[]>> ListMyApplications(ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var mine = await uow.ListApplicationsBySubmitterAsync(user.Subject(), ct);
        return TypedResults.Ok(mine.Select(a => ToResponse(a, officer: false)).ToArray());
    }

    private static async Task<Ok<ApplicationResponse[]>> ReviewQueue(Guid processId, string? status, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        if (status is not null && !Contracts.Stages.TryParseName<ApplicationStatus>(status, out _))
        {
            throw new DomainException("status", $"One of {string.Join(", ", Enum.GetNames<ApplicationStatus>())}");
        }
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var normalised = status is null ? null : Enum.GetNames<ApplicationStatus>().First(n => n.Equals(status, StringComparison.OrdinalIgnoreCase));
        return TypedResults.Ok((await uow.ListApplicationsAsync(processId, normalised, ct)).Select(a => ToResponse(a, officer: true)).ToArray());
    }

    private static async Task<Ok<ApplicationResponse>> GetApplication(Guid processId, Guid applicationId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (process, application) = await LoadForSubmitterOrOfficerAsync(uow, processId, applicationId, user, forUpdate: false, ct);
        return TypedResults.Ok(ToResponse(application, user.IsOfficerFor(process)));
    }

    private static async Task<Created<DocumentResponse>> UploadDocument(Guid processId, Guid applicationId, [FromForm] string? kind, IFormFile? file, ClaimsPrincipal user,
        UnitOfWorkFactory db, CancellationToken ct)
    {
        if (file is null)
        {
            throw new DomainException("file", "Attach the document as the form field 'file'");
        }
        if (file.Length > Document.MaxBytes)
        {
            throw new DomainException("file", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"At most 10 MB (10,485,760 bytes); this file has {file.Length:N0} bytes"));
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        await using var uow = await db.BeginAsync(ct);
        var (process, application) = await LoadForSubmitterOrOfficerAsync(uow, processId, applicationId, user, forUpdate: true, ct);
        var (document, content) = Document.Accept(kind, buffer.ToArray(), uow.Now);
        application.Attach(process, document, uow.Now);
        await uow.InsertDocumentAsync(processId, applicationId, null, document, content, user.Subject(), ct);
        uow.Audit(user.AsOneOf(Roles.ProcessAdmin, Roles.Resident), "document.uploaded", processId, document.Id.ToString(),
            new { ApplicationId = applicationId, document.Kind, document.ContentType, document.Size, document.Sha256 });
        await uow.CommitAsync(ct);
        return TypedResults.Created($"/api/registration/processes/{processId}/applications/{applicationId}/documents/{document.Id}", ToResponse(document));
    }

    private static async Task<FileContentHttpResult> DownloadDocument(Guid processId, Guid applicationId, Guid documentId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        await LoadForSubmitterOrOfficerAsync(uow, processId, applicationId, user, forUpdate: false, ct);
        var (document, content) = await uow.GetDocumentAsync(applicationId, documentId, ct);
        return TypedResults.File(content, document.ContentType, $"{document.Kind}-{document.Id}.{BuildingBlocks.Text.DocumentContent.ExtensionOf(document.ContentType)}");
    }

    private static async Task<Ok<ApplicationResponse>> ConfirmIdentity(Guid processId, Guid applicationId, Guid agentId, IdentityRequest request, ClaimsPrincipal user,
        IIdentityCheck check, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var application = await uow.GetApplicationAsync(processId, applicationId, ct, forUpdate: true);
        var officer = Actor.As(user, Roles.ProcessAdmin);
        await application.ConfirmIdentityAsync(process, agentId, request.Method, officer.Subject, check, uow.Now, ct);
        await uow.UpdateApplicationAsync(application, ct);
        var agent = application.AgentOf(agentId);
        uow.Audit(officer, "agent.identity-confirmed", processId, agentId.ToString(), new { agent.FullName, agent.IdentityMethod });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(application, officer: true));
    }

    private static async Task<Ok<ApplicationResponse>> ReviewApplication(Guid processId, Guid applicationId, ReviewRequest request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        var application = await uow.GetApplicationAsync(processId, applicationId, ct, forUpdate: true);
        application.Review(process, request.Decision, request.Reasons, request.CorrectBy, uow.Now);
        await uow.UpdateApplicationAsync(application, ct);
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "application.reviewed", processId, applicationId.ToString(),
            new { application.Status, application.CorrectBy }, application.Observations ?? application.Reasons);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(application, officer: true));
    }

    private static async Task<Ok<ApplicationResponse>> CorrectAgent(Guid processId, Guid applicationId, Guid agentId, PersonDetails request, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (process, application) = await LoadForSubmitterOrOfficerAsync(uow, processId, applicationId, user, forUpdate: true, ct);
        var agent = application.Correct(process, agentId, request, uow.Now);
        await uow.UpdateApplicationAsync(application, ct);
        uow.Audit(user.AsOneOf(Roles.ProcessAdmin, Roles.Resident), "agent.corrected", processId, agentId.ToString(), new { agent.Role, agent.FullName, agent.Gender, agent.BirthYear });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(application, user.IsOfficerFor(process)));
    }

    private static async Task<Ok<ApplicationResponse>> ResubmitApplication(Guid processId, Guid applicationId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (process, application) = await LoadForSubmitterOrOfficerAsync(uow, processId, applicationId, user, forUpdate: true, ct);
        application.Resubmit(process, uow.Now);
        await uow.UpdateApplicationAsync(application, ct);
        uow.Audit(user.AsOneOf(Roles.ProcessAdmin, Roles.Resident), "application.resubmitted", processId, applicationId.ToString(), new { application.Status });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(ToResponse(application, user.IsOfficerFor(process)));
    }

    /// <summary>An application is personal data: only whoever submitted it and the process's officers see it.</summary>
    private static async Task<(Process, AgentApplication)> LoadForSubmitterOrOfficerAsync(UnitOfWork uow, Guid processId, Guid applicationId, ClaimsPrincipal user, bool forUpdate, CancellationToken ct)
    {
        var process = await uow.GetProcessAsync(processId, ct);
        var application = await uow.GetApplicationAsync(processId, applicationId, ct, forUpdate);
        if (!user.IsOfficerFor(process) && application.SubmittedBy != user.Subject())
        {
            throw new ForbiddenException("Only whoever submitted the application and the process's officers may see or change it");
        }
        return (process, application);
    }

    internal static ApplicationResponse ToResponse(AgentApplication a, bool officer) => new(
        a.Id, a.ProcessId, a.OrganisationId, a.OrganisationName, a.Channel, a.Status, a.SubmittedAt, a.Observations, a.CorrectBy, a.Reasons,
        a.Agents.Select(g => new ApplicationAgentResponse(g.Id, g.Role, g.FullName, g.Gender, g.BirthYear, g.Status, g.IdentityConfirmed,
            officer ? g.Dni : null, g.Phone, g.Email)).ToArray(),
        a.Documents.Select(ToResponse).ToArray(),
        a.MissingDocuments.ToArray());

    private static DocumentResponse ToResponse(Document d) => new(d.Id, d.Kind, d.ContentType, d.Size, d.Sha256, d.UploadedAt);
}
