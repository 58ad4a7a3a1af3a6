using Dapper;
using Microsoft.Extensions.Logging;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Inbox;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Processes;

/// <summary>
/// The stage rule every service applies to its own actions: refused with a 409 that names the stage,
/// so no service acts on a process whose stage does not allow it (docs/architecture.md, "Stages").
/// </summary>
public static class StageRule
{
    public static void Require(Stage current, string action, params Stage[] allowed)
    {
        if (!allowed.Contains(current))
        {
            var when = allowed.Length == 1 ? allowed[0].ToString() : string.Join(" or ", allowed);
            throw new ConflictException("stage", $"{action} happens in {when}; the process is in {current}");
        }
    }
}

/// <summary>A service's copy of a process's jurisdiction and stage, kept from registration's events.</summary>
public sealed record ProcessStage(Guid ProcessId, string Jurisdiction, Stage Stage);

public static class ProcessStageStore
{
    /// <summary>The table a service adds to its migrations when it only needs to know the stage.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS process_stages (
            process_id    uuid PRIMARY KEY,
            jurisdiction  text NOT NULL,
            stage         text NOT NULL
        );
        """;

    public static async Task<ProcessStage> GetProcessStageAsync(this UnitOfWork uow, Guid processId, CancellationToken ct)
    {
        var row = await uow.Connection.QuerySingleOrDefaultAsync<(Guid ProcessId, string Jurisdiction, string Stage)?>(uow.Command(
            "SELECT process_id, jurisdiction, stage FROM process_stages WHERE process_id = @processId", new { processId }, ct));
        return row is { } r
            ? new ProcessStage(r.ProcessId, r.Jurisdiction, Enum.Parse<Stage>(r.Stage))
            : throw new NotFoundException("Process", processId);
    }

    internal static Task InsertAsync(UnitOfWork uow, ProcessOpened e, CancellationToken ct) =>
        uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO process_stages (process_id, jurisdiction, stage) VALUES (@ProcessId, @Jurisdiction, @stage) ON CONFLICT (process_id) DO NOTHING",
            new { e.ProcessId, e.Jurisdiction, stage = e.Stage.ToString() }, ct));

    internal static async Task AdvanceAsync(UnitOfWork uow, StageAdvanced e, CancellationToken ct)
    {
        var updated = await uow.Connection.ExecuteAsync(uow.Command(
            "UPDATE process_stages SET stage = @to WHERE process_id = @ProcessId AND stage = @from",
            new { e.ProcessId, from = e.FromStage.ToString(), to = e.ToStage.ToString() }, ct));
        if (updated == 0)
        {
            // ProcessOpened travels on another queue and may not have arrived yet: fail so the retry finds it.
            throw new InvalidOperationException($"Process {e.ProcessId} is not known in stage {e.FromStage} yet");
        }
    }
}

/// <summary>Keeps <see cref="ProcessStageStore"/> from <see cref="ProcessOpened"/>.</summary>
public sealed class ProcessOpenedStageCopy(UnitOfWorkFactory db, ILogger<ProcessOpenedStageCopy> logger) : IdempotentConsumer<ProcessOpened>(db, logger)
{
    protected override Task HandleAsync(ProcessOpened message, UnitOfWork uow, CancellationToken ct) => ProcessStageStore.InsertAsync(uow, message, ct);
}

/// <summary>Keeps <see cref="ProcessStageStore"/> from <see cref="StageAdvanced"/>.</summary>
public sealed class StageAdvancedStageCopy(UnitOfWorkFactory db, ILogger<StageAdvancedStageCopy> logger) : IdempotentConsumer<StageAdvanced>(db, logger)
{
    protected override Task HandleAsync(StageAdvanced message, UnitOfWork uow, CancellationToken ct) => ProcessStageStore.AdvanceAsync(uow, message, ct);
}
