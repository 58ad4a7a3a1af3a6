using Dapper;
using Npgsql;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Deliberation.Domain;

namespace PBServices.Deliberation.Infrastructure;

internal static class CriteriaStore
{
    /// <summary>
    /// Locks the process's copy for the rest of the transaction: taken by whoever defines the matrix and by
    /// the prioritisation, so neither runs beside a score (which shares the lock, in its trigger) or each other.
    /// </summary>
    public static Task LockProcessAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command("SELECT 1 FROM processes WHERE id = @processId FOR UPDATE", new { processId }, ct));

    public static async Task<CriteriaMatrix?> FindCriteriaMatrixAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var criteria = (await uow.Connection.QueryAsync<Criterion>(uow.Command(
            """
            SELECT id AS Id, position AS Position, name AS Name, weight AS Weight, scale_min AS ScaleMin, scale_max AS ScaleMax
            FROM criteria WHERE process_id = @processId ORDER BY position
            """, new { processId }, ct))).ToList();
        return criteria.Count == 0 ? null : CriteriaMatrix.Restore(processId, criteria);
    }

    public static Task<bool> HasCriteriaScoresAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<bool>(uow.Command("SELECT EXISTS (SELECT 1 FROM criterion_scores WHERE process_id = @processId)", new { processId }, ct));

    public static Task<bool> IsPrioritizedAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        uow.Connection.ExecuteScalarAsync<bool>(uow.Command("SELECT EXISTS (SELECT 1 FROM prioritized_lists WHERE process_id = @processId)", new { processId }, ct));

    /// <summary>Replaces the process's criteria; the database refuses it (as a conflict) once any score exists.</summary>
    public static async Task ReplaceCriteriaMatrixAsync(this UnitOfWork uow, CriteriaMatrix matrix, CancellationToken ct)
    {
        await Refusals(async () =>
        {
            await uow.Connection.ExecuteAsync(uow.Command("DELETE FROM criteria WHERE process_id = @ProcessId", new { matrix.ProcessId }, ct));
            await uow.Connection.ExecuteAsync(uow.Command(
                """
                INSERT INTO criteria (id, process_id, position, name, weight, scale_min, scale_max)
                SELECT * FROM unnest(@ids, @processIds, @positions, @names, @weights, @mins, @maxes)
                """,
                new
                {
                    ids = matrix.Criteria.Select(c => c.Id).ToArray(),
                    processIds = matrix.Criteria.Select(_ => matrix.ProcessId).ToArray(),
                    positions = matrix.Criteria.Select(c => c.Position).ToArray(),
                    names = matrix.Criteria.Select(c => c.Name).ToArray(),
                    weights = matrix.Criteria.Select(c => c.Weight).ToArray(),
                    mins = matrix.Criteria.Select(c => c.ScaleMin).ToArray(),
                    maxes = matrix.Criteria.Select(c => c.ScaleMax).ToArray(),
                }, ct));
        }, "criteria");
    }

    /// <summary>Stores a scorer's set for one proposal, replacing their earlier values: one row per scorer, proposal and criterion.</summary>
    public static async Task UpsertCriterionScoresAsync(this UnitOfWork uow, CriteriaMatrix matrix, Scorer scorer, IReadOnlyList<CriterionScore> scores, CancellationToken ct)
    {
        var criteria = matrix.Criteria.ToDictionary(c => c.Id);
        // Rows in one order for every request, so two requests of one scorer wait for each other instead of deadlocking.
        scores = scores.OrderBy(s => s.CriterionId).ToList();
        await Refusals(() => uow.Connection.ExecuteAsync(uow.Command(
            """
            INSERT INTO criterion_scores (scorer_id, proposal_id, criterion_id, process_id, scorer_role, scale_min, scale_max, value, recorded_at)
            SELECT @scorerId, @proposalId, c, @processId, @role, lo, hi, v, @now FROM unnest(@criteria, @mins, @maxes, @values) AS s (c, lo, hi, v)
            ON CONFLICT (scorer_id, proposal_id, criterion_id) DO UPDATE SET value = EXCLUDED.value, recorded_at = EXCLUDED.recorded_at
            """,
            new
            {
                scorerId = scorer.Id, proposalId = scores[0].ProposalId, processId = matrix.ProcessId, role = scorer.Role, now = uow.Now,
                criteria = scores.Select(s => s.CriterionId).ToArray(),
                mins = scores.Select(s => criteria[s.CriterionId].ScaleMin).ToArray(),
                maxes = scores.Select(s => criteria[s.CriterionId].ScaleMax).ToArray(),
                values = scores.Select(s => s.Value).ToArray(),
            }, ct)), "scores");
    }

    public static async Task<IReadOnlyList<CriterionScore>> GetCriterionScoresAsync(this UnitOfWork uow, Guid processId, CancellationToken ct) =>
        (await uow.Connection.QueryAsync<CriterionScore>(uow.Command(
            "SELECT scorer_id AS ScorerId, proposal_id AS ProposalId, criterion_id AS CriterionId, value AS Value FROM criterion_scores WHERE process_id = @processId",
            new { processId }, ct))).ToList();

    /// <summary>What the database refuses after the domain's checks passed: a race with a score, the stage or the prioritisation.</summary>
    private static async Task Refusals(Func<Task> write, string field)
    {
        try
        {
            await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
        {
            throw new ConflictException(field, e.MessageText);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new ConflictException(field, "The criteria matrix changed meanwhile: read it again");
        }
    }
}
