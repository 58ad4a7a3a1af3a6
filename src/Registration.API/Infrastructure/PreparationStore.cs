using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;
using static PBServices.Registration.Infrastructure.RegistrationStore;

namespace PBServices.Registration.Infrastructure;

/// <summary>An entry of the published list: never a DNI.</summary>
public sealed record ListEntry(Guid AgentId, string FullName, string Role, Guid? OrganisationId, string OrganisationName, string? OrganisationType, string Status, int PendingObjections);

/// <summary>A seat of the delegates or the directive committee, as published.</summary>
public sealed record SeatView(string Body, int SeatNumber, Guid AgentId, string FullName, string OrganisationName, string? Gender);

/// <summary>Agents of one process with one value of a dimension (gender, organisation type, territory, age band).</summary>
public sealed record StatisticsRow(int FiscalYear, Guid ProcessId, string Dimension, string Value, int Registered, int Accredited);

/// <summary>How many agents a process has at each step of registration.</summary>
public sealed record AgentCounts(int Registered, int Eligible, int Rejected, int Excluded, int Accredited, int Revoked, int PendingObjections, int Trained);

/// <summary>The published list, objections, training, seats and participation statistics.</summary>
internal static class PreparationStore
{
    /// <summary>Whoever was found eligible, and what became of them; never a DNI.</summary>
    public static async Task<IReadOnlyList<ListEntry>> ListEligibleEntriesAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<ListEntry>(uow.Command(
            """
            SELECT ag.id AS AgentId, ag.full_name AS FullName, coalesce(ag.role, 'Representative') AS Role, o.id AS OrganisationId, coalesce(o.name, ag.organisation) AS OrganisationName,
                   o.type AS OrganisationType, ag.status,
                   (SELECT count(*)::int FROM objections x WHERE x.agent_id = ag.id AND x.status = 'Pending') AS PendingObjections
            FROM agents ag LEFT JOIN applications a ON a.id = ag.application_id LEFT JOIN organisations o ON o.id = a.organisation_id
            WHERE ag.process_id = @processId AND ag.status IN ('Eligible', 'Excluded', 'Accredited', 'Revoked')
            ORDER BY coalesce(o.name, ag.organisation), ag.role DESC NULLS FIRST, ag.full_name
            """, new { processId }, ct))).ToList();

    public static async Task InsertObjectionAsync(this UnitOfWork uow, Objection o, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO objections (id, process_id, agent_id, filed_by, grounds, evidence, filed_at, status)
                VALUES (@Id, @ProcessId, @AgentId, @FiledBy, @Grounds, @Evidence, @FiledAt, @status)
                """, new { o.Id, o.ProcessId, o.AgentId, o.FiledBy, o.Grounds, o.Evidence, o.FiledAt, status = o.Status.ToString() }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("agentId", "You have already objected to this entry");
        }
    }

    private const string ObjectionColumns =
        "id, process_id AS ProcessId, agent_id AS AgentId, filed_by AS FiledBy, grounds, evidence, filed_at AS FiledAt, status, resolution, resolved_at AS ResolvedAt";

    public static async Task<Objection> GetObjectionAsync(this UnitOfWork uow, Guid processId, Guid objectionId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<ObjectionRow>(uow.Command(
            $"SELECT {ObjectionColumns} FROM objections WHERE id = @objectionId AND process_id = @processId FOR UPDATE", new { objectionId, processId }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Objection", objectionId);
    }

    public static async Task<IReadOnlyList<Objection>> ListObjectionsAsync(this UnitOfWork uow, Guid processId, string? filedBy, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<ObjectionRow>(uow.Command(
            $"SELECT {ObjectionColumns} FROM objections WHERE process_id = @processId AND (@filedBy::text IS NULL OR filed_by = @filedBy) ORDER BY filed_at",
            new { processId, filedBy }, ct))).Select(r => r.ToDomain()).ToList();

    public static Task UpdateObjectionAsync(this UnitOfWork uow, Objection o, string resolvedBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE objections SET status = @status, resolution = @Resolution, resolved_at = @ResolvedAt, resolved_by = @resolvedBy WHERE id = @Id",
            new { o.Id, status = o.Status.ToString(), o.Resolution, o.ResolvedAt, resolvedBy }, ct));

    public static Task<int> CountPendingObjectionsAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<int>(uow.Command("SELECT count(*)::int FROM objections WHERE process_id = @processId AND status = 'Pending'", new { processId }, ct));

    public static Task InsertTrainingSessionAsync(this UnitOfWork uow, TrainingSession s, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO training_sessions (id, process_id, date, topic, place, online_link) VALUES (@Id, @ProcessId, @date::date, @Topic, @Place, @OnlineLink)",
            new { s.Id, s.ProcessId, date = s.Date.ToDateTime(TimeOnly.MinValue), s.Topic, s.Place, s.OnlineLink }, ct));

    public static async Task<TrainingSession> GetTrainingSessionAsync(this UnitOfWork uow, Guid processId, Guid sessionId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<SessionRow>(uow.Command(
            "SELECT id, process_id AS ProcessId, date, topic, place, online_link AS OnlineLink, 0 AS Attendees FROM training_sessions WHERE id = @sessionId AND process_id = @processId",
            new { sessionId, processId }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Training session", sessionId);
    }

    public static async Task<IReadOnlyList<(TrainingSession Session, int Attendees)>> ListTrainingSessionsAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<SessionRow>(uow.Command(
            """
            SELECT s.id, s.process_id AS ProcessId, s.date, s.topic, s.place, s.online_link AS OnlineLink,
                   (SELECT count(*)::int FROM training_attendance t WHERE t.session_id = s.id) AS Attendees
            FROM training_sessions s WHERE s.process_id = @processId ORDER BY s.date, s.topic
            """, new { processId }, ct))).Select(r => (r.ToDomain(), r.Attendees)).ToList();

    public static async Task InsertAttendanceAsync(this UnitOfWork uow, Guid sessionId, Guid agentId, string checkedInBy, bool bySelf, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO training_attendance (session_id, agent_id, checked_in_by, by_self, at) VALUES (@sessionId, @agentId, @checkedInBy, @bySelf, @now)",
                new { sessionId, agentId, checkedInBy, bySelf, now = uow.Now }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("agentId", "The agent's attendance at this session is already recorded");
        }
    }

    public static Task<bool> HasTrainedAsync(this UnitOfWork uow, Guid agentId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<bool>(uow.Command("SELECT EXISTS (SELECT 1 FROM training_attendance WHERE agent_id = @agentId)", new { agentId }, ct));

    public static async Task<IReadOnlyList<SeatView>> ListSeatsAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<SeatView>(uow.Command(
            """
            SELECT s.body, s.seat_number AS SeatNumber, s.agent_id AS AgentId, ag.full_name AS FullName, ag.organisation AS OrganisationName, ag.gender
            FROM seats s JOIN agents ag ON ag.id = s.agent_id WHERE s.process_id = @processId ORDER BY s.body, s.seat_number
            """, new { processId }, ct))).ToList();

    public static async Task InsertSeatAsync(this UnitOfWork uow, Guid processId, SeatBody body, int seatNumber, Guid agentId, string assignedBy, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO seats (process_id, body, seat_number, agent_id, assigned_by, assigned_at) VALUES (@processId, @body, @seatNumber, @agentId, @assignedBy, @now)",
                new { processId, body = body.ToString(), seatNumber, agentId, assignedBy, now = uow.Now }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("agentId", $"The seat or the agent is already taken in {body}; reload the seats and try again");
        }
    }

    public static async Task<IReadOnlyList<Guid>> ListSeatHolderIdsAsync(this UnitOfWork uow, Guid processId, SeatBody body, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<Guid>(uow.Command(
            "SELECT agent_id FROM seats WHERE process_id = @processId AND body = @body ORDER BY seat_number", new { processId, body = body.ToString() }, ct))).ToList();

    /// <summary>Registered counts everyone ever named in the process, whatever became of them.</summary>
    public static Task<AgentCounts> CountAgentsAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.QuerySingleAsync<AgentCounts>(uow.Command(
            """
            SELECT count(*)::int AS Registered,
                   (count(*) FILTER (WHERE status = 'Eligible'))::int AS Eligible,
                   (count(*) FILTER (WHERE status = 'Rejected'))::int AS Rejected,
                   (count(*) FILTER (WHERE status = 'Excluded'))::int AS Excluded,
                   (count(*) FILTER (WHERE status = 'Accredited'))::int AS Accredited,
                   (count(*) FILTER (WHERE status = 'Revoked'))::int AS Revoked,
                   (SELECT count(*)::int FROM objections WHERE process_id = @processId AND status = 'Pending') AS PendingObjections,
                   (SELECT count(DISTINCT t.agent_id)::int FROM training_attendance t JOIN agents a ON a.id = t.agent_id WHERE a.process_id = @processId) AS Trained
            FROM agents WHERE process_id = @processId
            """, new { processId }, ct));

    /// <summary>
    /// Agents by gender, organisation type, territory and age band (at the fiscal year), per process. Registered counts
    /// everyone named in an application; accredited those accredited, including those later revoked.
    /// </summary>
    public static async Task<IReadOnlyList<StatisticsRow>> StatisticsAsync(this UnitOfWork uow, Guid? processId, string? jurisdiction, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<StatisticsRow>(uow.Command(
            """
            WITH people AS (
                SELECT p.fiscal_year, p.id AS process_id, ag.status, ag.gender, o.type AS organisation_type, o.territory,
                       CASE WHEN p.fiscal_year - ag.birth_year < 30 THEN '18-29' WHEN p.fiscal_year - ag.birth_year < 45 THEN '30-44'
                            WHEN p.fiscal_year - ag.birth_year < 60 THEN '45-59' ELSE '60+' END AS age_band
                FROM agents ag JOIN processes p ON p.id = ag.process_id
                JOIN applications a ON a.id = ag.application_id JOIN organisations o ON o.id = a.organisation_id
                WHERE (@processId::uuid IS NULL OR p.id = @processId) AND (@jurisdiction::text IS NULL OR p.jurisdiction = @jurisdiction)
            ), dims AS (
                SELECT fiscal_year, process_id, status, 'Gender' AS dimension, gender AS value FROM people
                UNION ALL SELECT fiscal_year, process_id, status, 'OrganisationType', organisation_type FROM people
                UNION ALL SELECT fiscal_year, process_id, status, 'Territory', territory FROM people
                UNION ALL SELECT fiscal_year, process_id, status, 'AgeBand', age_band FROM people
            )
            SELECT fiscal_year AS FiscalYear, process_id AS ProcessId, dimension, value, count(*)::int AS Registered,
                   (count(*) FILTER (WHERE status IN ('Accredited', 'Revoked')))::int AS Accredited
            FROM dims GROUP BY fiscal_year, process_id, dimension, value
            ORDER BY fiscal_year DESC, process_id, array_position(ARRAY['Gender', 'OrganisationType', 'Territory', 'AgeBand'], dimension), value
            """, new { processId, jurisdiction }, ct))).ToList();

    private sealed record ObjectionRow(Guid Id, Guid ProcessId, Guid AgentId, string FiledBy, string Grounds, string? Evidence, DateTime FiledAt, string Status, string? Resolution, DateTime? ResolvedAt)
    {
        public Objection ToDomain() => Objection.Restore(Id, ProcessId, AgentId, FiledBy, Grounds, Evidence, Utc(FiledAt), Status, Resolution, Utc(ResolvedAt));
    }

    private sealed record SessionRow(Guid Id, Guid ProcessId, DateOnly Date, string Topic, string? Place, string? OnlineLink, int Attendees)
    {
        public TrainingSession ToDomain() => new(Id, ProcessId, Date, Topic, Place, OnlineLink);
    }
}
