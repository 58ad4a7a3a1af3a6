using Dapper;
using Npgsql;
using NpgsqlTypes;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;

namespace PBServices.Deliberation.Infrastructure;

/// <summary>Voting rounds, who voted, and the ballots, kept apart.</summary>
internal static class VotingStore
{
    private const string UniqueViolation = "23505";

    public static async Task<ProcessCalendar?> GetCalendarAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var json = await uow.Connection.ExecuteScalarAsync<string?>(uow.Command("SELECT calendar::text FROM processes WHERE id = @processId", new { processId }, ct));
        return json is null ? null : System.Text.Json.JsonSerializer.Deserialize<ProcessCalendar>(json, DeliberationStore.Json);
    }

    public static async Task InsertRoundAsync(this UnitOfWork uow, VotingRound r, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO voting_rounds (id, process_id, format, budget_limit, max_projects, points, opened_at)
                VALUES (@Id, @ProcessId, @format, @BudgetLimit, @MaxProjects, @Points, @OpenedAt)
                """, new { r.Id, r.ProcessId, format = r.Format.ToString(), r.BudgetLimit, r.MaxProjects, r.Points, r.OpenedAt }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("processId", "The process already has its vote");
        }
        var position = 0;
        foreach (var p in r.Projects)
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                "INSERT INTO voting_round_projects (round_id, proposal_id, title, cost, position) VALUES (@roundId, @ProposalId, @Title, @Cost, @position)",
                new { roundId = r.Id, p.ProposalId, p.Title, p.Cost, position = ++position }, ct));
        }
    }

    public static async Task<VotingRound> GetRoundAsync(this UnitOfWork uow, Guid processId, Guid roundId, CancellationToken ct, bool forUpdate = false) =>
        await uow.FindRoundAsync($"id = @roundId AND process_id = @processId {(forUpdate ? "FOR UPDATE" : "")}", new { roundId, processId }, ct)
        ?? throw new NotFoundException("Voting round", roundId);

    public static Task<VotingRound?> FindRoundOfProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.FindRoundAsync("process_id = @processId", new { processId }, ct);

    private static async Task<VotingRound?> FindRoundAsync(this UnitOfWork uow, string where, object parameters, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<RoundRow>(uow.Command(
            $"SELECT id, process_id AS ProcessId, format, budget_limit AS BudgetLimit, max_projects AS MaxProjects, points, opened_at AS OpenedAt, closed_at AS ClosedAt FROM voting_rounds WHERE {where}",
            parameters, ct));
        if (row is null)
        {
            return null;
        }
        var projects = await uow.Connection.QueryAsync<RoundProject>(uow.Command(
            "SELECT proposal_id AS ProposalId, title, cost FROM voting_round_projects WHERE round_id = @Id ORDER BY position", new { row.Id }, ct));
        return VotingRound.Restore(row.Id, row.ProcessId, row.Format, row.BudgetLimit, row.MaxProjects, row.Points, projects.ToList(), Utc(row.OpenedAt), row.ClosedAt is { } c ? Utc(c) : null);
    }

    /// <summary>The voter and the ballot in one transaction, in tables nothing joins; a second vote by the same voter breaks the primary key.</summary>
    public static async Task InsertBallotAsync(this UnitOfWork uow, Guid roundId, Guid? voterId, CastBallot b, CancellationToken ct)
    {
        if (voterId is { } voter)
        {
            try
            {
                await uow.Connection.ExecuteAsync(uow.Command("INSERT INTO voters (round_id, agent_id) VALUES (@roundId, @voter)", new { roundId, voter }, ct));
            }
            catch (PostgresException e) when (e.SqlState == UniqueViolation)
            {
                throw new ConflictException("ballot", "This agent has already voted in this round: one ballot per voter");
            }
        }
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO ballots (id, round_id, receipt, channel, projects, points) VALUES (@Id, @roundId, @Receipt, @channel, @projects, @points)",
            new { b.Id, roundId, b.Receipt, channel = b.Channel.ToString(), projects = b.Choice.Projects.ToArray(), points = b.Choice.Points.ToArray() }, ct));
    }

    /// <summary>
    /// The batch, then its ballots by binary COPY: ten thousand rows in one round trip instead of ten thousand
    /// statements. A batch name taken in the round is a conflict, before any ballot is written.
    /// </summary>
    public static async Task InsertPaperBatchAsync(this UnitOfWork uow, PaperBatch batch, string officer, CancellationToken ct)
    {
        try
        {
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO paper_batches (id, round_id, name, format, ballots, sha256, imported_by, imported_at)
                VALUES (@Id, @RoundId, @Name, @format, @count, @Sha256, @officer, @now)
                """, new { batch.Id, batch.RoundId, batch.Name, format = batch.Format.ToString(), count = batch.Ballots.Count, batch.Sha256, officer, now = uow.Now }, ct));
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            throw new ConflictException("batch", $"A batch named '{batch.Name}' was already imported into this round");
        }
        await using var copy = await uow.Connection.BeginBinaryImportAsync(
            "COPY ballots (id, round_id, receipt, channel, projects, points, batch_id, batch_row) FROM STDIN (FORMAT BINARY)", ct);
        var channel = BallotChannel.Paper.ToString();
        foreach (var (line, b) in batch.Ballots)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(b.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(batch.RoundId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(b.Receipt, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(channel, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(b.Choice.Projects.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(b.Choice.Points.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(batch.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(line, NpgsqlDbType.Integer, ct);
        }
        await copy.CompleteAsync(ct);
    }

    public sealed record PaperBatchRow(Guid Id, string Name, string Format, int Ballots, string Sha256, DateTimeOffset ImportedAt);

    public static async Task<IReadOnlyList<PaperBatchRow>> ListPaperBatchesAsync(this UnitOfWork uow, Guid roundId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<(Guid Id, string Name, string Format, int Ballots, string Sha256, DateTime ImportedAt)>(uow.Command(
            "SELECT id, name, format, ballots, sha256, imported_at FROM paper_batches WHERE round_id = @roundId ORDER BY imported_at, name", new { roundId }, ct)))
        .Select(r => new PaperBatchRow(r.Id, r.Name, r.Format, r.Ballots, r.Sha256, Utc(r.ImportedAt))).ToList();

    /// <summary>A batch's ballots in the order of its file, with the line each came from.</summary>
    public static async Task<(PaperBatchRow Batch, IReadOnlyList<ImportedBallot> Ballots)?> FindPaperBatchAsync(this UnitOfWork uow, Guid roundId, Guid batchId, CancellationToken ct)
    {
        if ((await uow.ListPaperBatchesAsync(roundId, ct)).FirstOrDefault(b => b.Id == batchId) is not { } batch)
        {
            return null;
        }
        var rows = await uow.Connection.QueryAsync<BallotRow>(uow.Command(
            "SELECT id, receipt, channel, projects, points, batch_row AS Line FROM ballots WHERE batch_id = @batchId ORDER BY batch_row", new { batchId }, ct));
        return (batch, rows.Select(r => new ImportedBallot(r.Line, r.ToDomain())).ToList());
    }

    public static Task CloseRoundAsync(this UnitOfWork uow, VotingRound r, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("UPDATE voting_rounds SET closed_at = @ClosedAt WHERE id = @Id", new { r.Id, r.ClosedAt }, ct));

    public static async Task<IReadOnlyList<CastBallot>> ListBallotsAsync(this UnitOfWork uow, Guid roundId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<BallotRow>(uow.Command(
            "SELECT id, receipt, channel, projects, points FROM ballots WHERE round_id = @roundId ORDER BY receipt", new { roundId }, ct)))
        .Select(b => b.ToDomain()).ToList();

    public static async Task<CastBallot?> FindBallotAsync(this UnitOfWork uow, Guid roundId, string receipt, CancellationToken ct) =>
        (await uow.Connection.QuerySingleOrDefaultAsync<BallotRow>(uow.Command(
            "SELECT id, receipt, channel, projects, points FROM ballots WHERE round_id = @roundId AND receipt = @receipt", new { roundId, receipt }, ct)))?.ToDomain();

    public static Task<int> CountVotersAsync(this UnitOfWork uow, Guid roundId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<int>(uow.Command("SELECT count(*)::int FROM voters WHERE round_id = @roundId", new { roundId }, ct));

    public static Task<int> CountBallotsAsync(this UnitOfWork uow, Guid roundId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<int>(uow.Command("SELECT count(*)::int FROM ballots WHERE round_id = @roundId", new { roundId }, ct));

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero);

    private sealed record RoundRow(Guid Id, Guid ProcessId, string Format, decimal? BudgetLimit, int? MaxProjects, int? Points, DateTime OpenedAt, DateTime? ClosedAt);

    // Settable properties: Npgsql describes array columns as System.Array, which no constructor signature matches.
    private sealed class BallotRow
    {
        public Guid Id { get; init; }
        public string Receipt { get; init; } = "";
        public string Channel { get; init; } = "";
        public Guid[] Projects { get; init; } = [];
        public int[] Points { get; init; } = [];
        public int Line { get; init; }

        public CastBallot ToDomain() => new(Id, Receipt, new BallotChoice(Projects, Points), Enum.Parse<BallotChannel>(Channel));
    }
}
