using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Deliberation.Domain;

namespace PBServices.Deliberation.Infrastructure;

/// <summary>A workshop with what the calendar shows of it: how many attended, whether its minutes are recorded.</summary>
internal sealed record ListedWorkshop(Workshop Workshop, int Attendees, int MinutesVersions);

/// <summary>An attendee as the process-admin reads them, with their name.</summary>
internal sealed record Attendee(Guid AgentId, string FullName, CheckedInBy By, string RecordedBy, DateTimeOffset At);

internal enum WorkshopLock
{
    None,
    Share,
    Update,
}

internal static class WorkshopStore
{
    private const string Columns = "w.id, w.process_id AS ProcessId, w.kind, w.date, w.start_time AS StartTime, w.place, w.online_link AS OnlineLink, w.agenda";

    public static Task InsertWorkshopAsync(this UnitOfWork uow, Workshop w, string scheduledBy, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO workshops (id, process_id, kind, date, start_time, place, online_link, agenda, scheduled_by, scheduled_at)
            VALUES (@Id, @ProcessId, @kind, @date::date, @start::time, @Place, @OnlineLink, @Agenda, @scheduledBy, @now)
            """,
            new
            {
                w.Id, w.ProcessId, kind = w.Kind.ToString(), date = w.Date.ToDateTime(TimeOnly.MinValue), start = w.StartTime.ToTimeSpan(),
                w.Place, w.OnlineLink, w.Agenda, scheduledBy, now = uow.Now,
            }, ct));

    /// <summary>
    /// The workshop of the process; a check-in locks it <see cref="WorkshopLock.Share"/> (check-ins do not wait for each other)
    /// and the minutes <see cref="WorkshopLock.Update"/>, since they close the attendance: neither commits past the other unseen.
    /// </summary>
    public static async Task<Workshop> GetWorkshopAsync(this UnitOfWork uow, Guid processId, Guid workshopId, CancellationToken ct, WorkshopLock lockFor = WorkshopLock.None)
    {
        var clause = lockFor switch { WorkshopLock.Share => " FOR SHARE", WorkshopLock.Update => " FOR UPDATE", _ => "" };
        var row = await uow.Connection.QuerySingleOrDefaultAsync<Row>(uow.Command(
            $"SELECT {Columns} FROM workshops w WHERE w.id = @workshopId AND w.process_id = @processId{clause}",
            new { workshopId, processId }, ct));
        return row?.ToDomain() ?? throw new NotFoundException("Workshop", workshopId);
    }

    public static async Task<IReadOnlyList<ListedWorkshop>> ListWorkshopsAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<Row>(uow.Command(
            $"""
            SELECT {Columns},
                   (SELECT count(*)::int FROM workshop_attendance a WHERE a.workshop_id = w.id) AS Attendees,
                   (SELECT count(*)::int FROM workshop_minutes m WHERE m.workshop_id = w.id) AS MinutesVersions
            FROM workshops w WHERE w.process_id = @processId ORDER BY w.date, w.start_time, w.id
            """, new { processId }, ct));
        return rows.Select(r => new ListedWorkshop(r.ToDomain(), r.Attendees, r.MinutesVersions)).ToList();
    }

    public static Task<int> CountAttendeesAsync(this UnitOfWork uow, Guid workshopId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<int>(uow.Command("SELECT count(*)::int FROM workshop_attendance WHERE workshop_id = @workshopId", new { workshopId }, ct));

    /// <summary>Records the attendance once: the primary key refuses a second, also under concurrency.</summary>
    public static async Task InsertAttendanceAsync(this UnitOfWork uow, WorkshopAttendance a, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO workshop_attendance (workshop_id, agent_id, by_self, recorded_by, recorded_at) VALUES (@WorkshopId, @AgentId, @bySelf, @RecordedBy, @At)",
                new { a.WorkshopId, a.AgentId, bySelf = a.By == CheckedInBy.Self, a.RecordedBy, a.At }, ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException("agentId", "This agent's attendance at this workshop is already recorded");
        }
    }

    public static async Task<IReadOnlyList<Attendee>> ListAttendeesAsync(this UnitOfWork uow, Guid workshopId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<(Guid AgentId, string FullName, bool BySelf, string RecordedBy, DateTime At)>(uow.Command(
            """
            SELECT a.agent_id, g.full_name, a.by_self, a.recorded_by, a.recorded_at
            FROM workshop_attendance a JOIN accredited_agents g ON g.agent_id = a.agent_id
            WHERE a.workshop_id = @workshopId ORDER BY g.full_name, a.agent_id
            """, new { workshopId }, ct));
        return rows.Select(r => new Attendee(r.AgentId, r.FullName, r.BySelf ? CheckedInBy.Self : CheckedInBy.Officer, r.RecordedBy, Utc(r.At))).ToList();
    }

    public static async Task<IReadOnlyList<WorkshopMinutes>> ListMinutesAsync(this UnitOfWork uow, Guid workshopId, CancellationToken ct)
    {
        var rows = await uow.Connection.QueryAsync<(int Version, string Text, string? Correction, DateTime RecordedAt)>(uow.Command(
            "SELECT version, text, correction, recorded_at FROM workshop_minutes WHERE workshop_id = @workshopId ORDER BY version", new { workshopId }, ct));
        return rows.Select(r => new WorkshopMinutes(workshopId, r.Version, r.Text, r.Correction, Utc(r.RecordedAt))).ToList();
    }

    public static async Task InsertMinutesAsync(this UnitOfWork uow, WorkshopMinutes m, string recordedBy, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO workshop_minutes (workshop_id, version, text, correction, recorded_by, recorded_at) VALUES (@WorkshopId, @Version, @Text, @Correction, @recordedBy, @RecordedAt)",
                new { m.WorkshopId, m.Version, m.Text, m.Correction, recordedBy, m.RecordedAt }, ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException("workshopId", $"Version {m.Version} of these minutes was recorded meanwhile: read it and correct that one");
        }
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    /// <summary>Settable, so Dapper fills it from a row with or without the counts.</summary>
    private sealed class Row
    {
        public Guid Id { get; init; }
        public Guid ProcessId { get; init; }
        public string Kind { get; init; } = "";
        public DateTime Date { get; init; }
        public TimeSpan StartTime { get; init; }
        public string? Place { get; init; }
        public string? OnlineLink { get; init; }
        public string Agenda { get; init; } = "";
        public int Attendees { get; init; }
        public int MinutesVersions { get; init; }

        public Workshop ToDomain() => new(Id, ProcessId, Enum.Parse<WorkshopKind>(Kind), DateOnly.FromDateTime(Date), TimeOnly.FromTimeSpan(StartTime), Place, OnlineLink, Agenda);
    }
}
