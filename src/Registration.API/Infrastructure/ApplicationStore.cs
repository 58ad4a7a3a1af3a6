using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Registration.Domain;
using static PBServices.Registration.Infrastructure.RegistrationStore;

namespace PBServices.Registration.Infrastructure;

/// <summary>Organisations, their applications, the agents they name and the documents they upload.</summary>
internal static class ApplicationStore
{
    public static async Task InsertOrganisationAsync(this UnitOfWork uow, Organisation o, CancellationToken ct)
    {
        await uow.EnsureJurisdictionAsync(o.Territory, ct);
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO organisations (id, name, type, registry_kind, registry_number, registry_date, territory, active_members, registered_by, registered_at)
                VALUES (@Id, @Name, @type, @kind, @number, @date::date, @Territory, @ActiveMembers, @RegisteredBy, @now)
                """,
                new
                {
                    o.Id, o.Name, type = o.Type.ToString(), kind = o.Registry.Kind.ToString(), number = o.Registry.Number,
                    date = o.Registry.Date.ToDateTime(TimeOnly.MinValue), o.Territory, o.ActiveMembers, o.RegisteredBy, now = uow.Now,
                }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("registry.number", $"An organisation with {o.Registry.Kind} registry entry {o.Registry.Number} is already registered");
        }
    }

    private const string OrganisationColumns =
        "id, name, type, registry_kind AS RegistryKind, registry_number AS RegistryNumber, registry_date AS RegistryDate, territory, active_members AS ActiveMembers, registered_by AS RegisteredBy";

    public static async Task<Organisation?> FindOrganisationAsync(this UnitOfWork uow, Guid id, CancellationToken ct) =>
        (await uow.Connection.QuerySingleOrDefaultAsync<OrganisationRow>(uow.Command($"SELECT {OrganisationColumns} FROM organisations WHERE id = @id", new { id }, ct)))?.ToDomain();

    /// <summary>The organisations whose territory lies within a jurisdiction (a region's: all of its districts').</summary>
    public static async Task<IReadOnlyList<Organisation>> ListOrganisationsAsync(this UnitOfWork uow, string? jurisdiction, CancellationToken ct)
    {
        var prefix = jurisdiction is null ? "" : Ubigeo.LevelOf(jurisdiction) switch
        {
            Contracts.GovernmentLevel.Region => jurisdiction[..2],
            Contracts.GovernmentLevel.Province => jurisdiction[..4],
            _ => jurisdiction,
        };
        var rows = await uow.Connection.QueryAsync<OrganisationRow>(uow.Command(
            $"SELECT {OrganisationColumns} FROM organisations WHERE territory LIKE @prefix || '%' ORDER BY name", new { prefix }, ct));
        return rows.Select(r => r.ToDomain()).ToList();
    }

    public static async Task InsertApplicationAsync(this UnitOfWork uow, AgentApplication a, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO applications (id, process_id, organisation_id, channel, status, submitted_by, submitted_at)
                VALUES (@Id, @ProcessId, @OrganisationId, @channel, @status, @SubmittedBy, @SubmittedAt)
                """,
                new { a.Id, a.ProcessId, a.OrganisationId, channel = a.Channel.ToString(), status = a.Status.ToString(), a.SubmittedBy, a.SubmittedAt }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("organisationId", $"{a.OrganisationName} has already applied in this process");
        }
        foreach (var agent in a.Agents)
        {
            try
            {
                await uow.Connection.ExecuteAsync(uow.Command(
                    """
                    INSERT INTO agents (id, process_id, full_name, dni, organisation, status, registered_at, application_id, role, gender, birth_year, phone, email)
                    VALUES (@Id, @ProcessId, @FullName, @Dni, @Organisation, @status, @now, @ApplicationId, @role, @gender, @BirthYear, @Phone, @Email)
                    """, AgentParameters(agent, uow.Now), ct));
            }
            catch (PostgresException e) when (e.SqlState == UniqueViolation)
            {
                throw new ConflictException("dni", $"The DNI of {agent.FullName} is already registered in this process: a person takes part once");
            }
        }
    }

    private static object AgentParameters(ParticipatingAgent a, DateTimeOffset now) => new
    {
        a.Id, a.ProcessId, a.FullName, a.Dni, a.Organisation, status = a.Status.ToString(), now, a.ApplicationId,
        role = a.Role.ToString(), gender = a.Gender?.ToString(), a.BirthYear, a.Phone, a.Email,
        a.IdentityConfirmedBy, a.IdentityConfirmedAt, identityMethod = a.IdentityMethod?.ToString(),
    };

    /// <summary>Writes back what review, identity checks and corrections change; the application row is locked by the load.</summary>
    public static async Task UpdateApplicationAsync(this UnitOfWork uow, AgentApplication a, CancellationToken ct)
    {
        await uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE applications SET status = @status, submitted_at = @SubmittedAt, observations = @Observations, correct_by = @correctBy::date, reasons = @Reasons
            WHERE id = @Id
            """,
            new { a.Id, status = a.Status.ToString(), a.SubmittedAt, a.Observations, correctBy = a.CorrectBy?.ToDateTime(TimeOnly.MinValue), a.Reasons }, ct));
        foreach (var agent in a.Agents)
        {
            try
            {
                await uow.UpdateAgentAsync(agent, ct);
            }
            catch (PostgresException e) when (e.SqlState == UniqueViolation)
            {
                throw new ConflictException("dni", $"The DNI of {agent.FullName} is already registered in this process: a person takes part once");
            }
        }
    }

    public static Task UpdateAgentAsync(this UnitOfWork uow, ParticipatingAgent agent, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            UPDATE agents SET full_name = @FullName, dni = @Dni, status = @status, role = @role, gender = @gender, birth_year = @BirthYear, phone = @Phone, email = @Email,
                identity_confirmed_by = @IdentityConfirmedBy, identity_confirmed_at = @IdentityConfirmedAt, identity_method = @identityMethod,
                accredited_at = CASE WHEN @status = 'Accredited' AND accredited_at IS NULL THEN @now ELSE accredited_at END
            WHERE id = @Id
            """, AgentParameters(agent, uow.Now), ct));

    private const string ApplicationColumns =
        """
        a.id, a.process_id AS ProcessId, a.organisation_id AS OrganisationId, o.name AS OrganisationName, o.type AS OrganisationType, a.channel, a.status,
        a.submitted_by AS SubmittedBy, a.submitted_at AS SubmittedAt, a.observations, a.correct_by AS CorrectBy, a.reasons
        """;

    private const string AgentColumns =
        """
        id, process_id AS ProcessId, application_id AS ApplicationId, role, full_name AS FullName, dni, organisation, gender, birth_year AS BirthYear,
        phone, email, status, identity_confirmed_by AS IdentityConfirmedBy, identity_confirmed_at AS IdentityConfirmedAt, identity_method AS IdentityMethod
        """;

    public static async Task<AgentApplication> GetApplicationAsync(this UnitOfWork uow, Guid processId, Guid applicationId, CancellationToken ct, bool forUpdate = false)
    {
        var found = await uow.LoadApplicationsAsync(
            $"a.id = @applicationId AND a.process_id = @processId {(forUpdate ? "FOR UPDATE OF a" : "")}", new { applicationId, processId }, ct);
        return found.SingleOrDefault() ?? throw new NotFoundException("Application", applicationId);
    }

    public static Task<IReadOnlyList<AgentApplication>> ListApplicationsAsync(this UnitOfWork uow, Guid processId, string? status, CancellationToken ct) =>
        uow.LoadApplicationsAsync("a.process_id = @processId AND (@status::text IS NULL OR a.status = @status) ORDER BY a.submitted_at", new { processId, status }, ct);

    public static Task<IReadOnlyList<AgentApplication>> ListApplicationsBySubmitterAsync(this UnitOfWork uow, string submittedBy, CancellationToken ct) =>
        uow.LoadApplicationsAsync("a.submitted_by = @submittedBy ORDER BY a.submitted_at DESC", new { submittedBy }, ct);

    private static async Task<IReadOnlyList<AgentApplication>> LoadApplicationsAsync(this UnitOfWork uow, string where, object parameters, CancellationToken ct)
    {
        var rows = (await uow.Connection.QueryAsync<ApplicationRow>(uow.Command(
            $"SELECT {ApplicationColumns} FROM applications a JOIN organisations o ON o.id = a.organisation_id WHERE {where}", parameters, ct))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(r => r.Id).ToArray();
        var agents = (await uow.Connection.QueryAsync<AgentRow>(uow.Command(
            $"SELECT {AgentColumns} FROM agents WHERE application_id = ANY(@ids) ORDER BY role DESC, registered_at", new { ids }, ct))).ToLookup(a => a.ApplicationId);
        var documents = (await uow.Connection.QueryAsync<DocumentRow>(uow.Command(
            "SELECT id, application_id AS OwnerId, kind, content_type AS ContentType, size, sha256, uploaded_at AS UploadedAt FROM documents WHERE application_id = ANY(@ids) ORDER BY uploaded_at",
            new { ids }, ct))).ToLookup(d => d.OwnerId);
        return rows.Select(r => AgentApplication.Restore(r.Id, r.ProcessId, r.OrganisationId, r.OrganisationName, r.OrganisationType, r.Channel, r.Status,
            r.SubmittedBy, Utc(r.SubmittedAt), r.Observations, r.CorrectBy, r.Reasons,
            agents[r.Id].Select(a => a.ToDomain()).ToList(), documents[r.Id].Select(d => d.ToDomain()).ToList())).ToList();
    }

    public static async Task<ParticipatingAgent> GetAgentAsync(this UnitOfWork uow, Guid processId, Guid agentId, CancellationToken ct, string? field = null)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<AgentRow>(uow.Command(
            $"SELECT {AgentColumns} FROM agents WHERE id = @agentId AND process_id = @processId FOR UPDATE", new { agentId, processId }, ct));
        return row?.ToDomain() ?? (field is null ? throw new NotFoundException("Agent", agentId) : throw new DomainException(field, $"No agent {agentId} in this process"));
    }

    /// <summary>Every agent of a process with a status, locked, with their organisation's type (for quotas) and name.</summary>
    public static async Task<IReadOnlyList<(ParticipatingAgent Agent, OrganisationType Type, Guid? OrganisationId)>> ListAgentsAsync(this UnitOfWork uow, Guid processId, string status, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<AgentRow>(uow.Command(
            $"""
            SELECT {string.Join(", ", AgentColumns.Split(',').Select(c => "ag." + c.Trim()))}, o.type AS OrganisationType, o.id AS OrganisationId
            FROM agents ag LEFT JOIN applications a ON a.id = ag.application_id LEFT JOIN organisations o ON o.id = a.organisation_id
            WHERE ag.process_id = @processId AND ag.status = @status ORDER BY ag.full_name
            FOR UPDATE OF ag
            """, new { processId, status }, ct));
        return rows.Select(r => (r.ToDomain(), r.OrganisationType is null ? OrganisationType.Other : Enum.Parse<OrganisationType>(r.OrganisationType), r.OrganisationId)).ToList();
    }

    public static Task InsertDocumentAsync(this UnitOfWork uow, Guid processId, Guid? applicationId, Guid? objectionId, Document d, byte[] content, string uploadedBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO documents (id, process_id, application_id, objection_id, kind, content_type, size, sha256, content, uploaded_by, uploaded_at)
            VALUES (@Id, @processId, @applicationId, @objectionId, @kind, @ContentType, @Size, @Sha256, @content, @uploadedBy, @UploadedAt)
            """,
            new { d.Id, processId, applicationId, objectionId, kind = d.Kind.ToString(), d.ContentType, d.Size, d.Sha256, content, uploadedBy, d.UploadedAt }, ct));

    public static async Task<(Document Document, byte[] Content)> GetDocumentAsync(this UnitOfWork uow, Guid applicationId, Guid documentId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<DocumentContentRow>(uow.Command(
            "SELECT id, kind, content_type AS ContentType, size, sha256, uploaded_at AS UploadedAt, content FROM documents WHERE id = @documentId AND application_id = @applicationId",
            new { documentId, applicationId }, ct));
        return row is null
            ? throw new NotFoundException("Document", documentId)
            : (new Document(row.Id, Enum.Parse<DocumentKind>(row.Kind), row.ContentType, row.Size, row.Sha256.Trim(), Utc(row.UploadedAt)), row.Content);
    }

    private sealed record OrganisationRow(Guid Id, string Name, string Type, string RegistryKind, string RegistryNumber, DateOnly RegistryDate, string Territory, int ActiveMembers, string RegisteredBy)
    {
        public Organisation ToDomain() => Organisation.Restore(Id, Name, Type, RegistryKind, RegistryNumber, RegistryDate, Territory, ActiveMembers, RegisteredBy);
    }

    private sealed record ApplicationRow(Guid Id, Guid ProcessId, Guid OrganisationId, string OrganisationName, string OrganisationType, string Channel, string Status,
        string SubmittedBy, DateTime SubmittedAt, string? Observations, DateOnly? CorrectBy, string? Reasons);

    internal sealed class AgentRow
    {
        public Guid Id { get; init; }
        public Guid ProcessId { get; init; }
        public Guid? ApplicationId { get; init; }
        public string? Role { get; init; }
        public string FullName { get; init; } = "";
        public string Dni { get; init; } = "";
        public string Organisation { get; init; } = "";
        public string? Gender { get; init; }
        public int? BirthYear { get; init; }
        public string? Phone { get; init; }
        public string? Email { get; init; }
        public string Status { get; init; } = "";
        public string? IdentityConfirmedBy { get; init; }
        public DateTime? IdentityConfirmedAt { get; init; }
        public string? IdentityMethod { get; init; }
        /// <summary>Only where the query joins the organisation.</summary>
        public string? OrganisationType { get; init; }
        public Guid? OrganisationId { get; init; }

        public ParticipatingAgent ToDomain() => ParticipatingAgent.Restore(Id, ProcessId, ApplicationId, Role, FullName, Dni.Trim(), Organisation, Gender, BirthYear,
            Phone, Email, Status, IdentityConfirmedBy, Utc(IdentityConfirmedAt), IdentityMethod);
    }

    private sealed record DocumentRow(Guid Id, Guid OwnerId, string Kind, string ContentType, long Size, string Sha256, DateTime UploadedAt)
    {
        public Document ToDomain() => new(Id, Enum.Parse<DocumentKind>(Kind), ContentType, Size, Sha256.Trim(), Utc(UploadedAt));
    }

    private sealed record DocumentContentRow(Guid Id, string Kind, string ContentType, long Size, string Sha256, DateTime UploadedAt, byte[] Content);
}
