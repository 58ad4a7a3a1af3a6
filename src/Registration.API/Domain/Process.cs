using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Registration.Domain;

/// <summary>One participatory-budgeting process: a jurisdiction's cycle for one fiscal year.</summary>
public sealed class Process
{
    public const int MaxNameLength = 200;

    public Guid Id { get; private init; }
    public string Jurisdiction { get; private init; } = "";
    public string Name { get; private init; } = "";
    public int FiscalYear { get; private init; }
    public GovernmentLevel Level { get; private init; }
    public decimal BudgetCeiling { get; private init; }
    public Stage Stage { get; private set; }
    public DateTimeOffset OpenedAt { get; private init; }

    /// <summary>Opens a process in Preparation; returns it with the event that tells the other services.</summary>
    public static (Process Process, ProcessOpened Opened) Open(string jurisdiction, string? name, int fiscalYear, string? level, decimal budgetCeiling, DateTimeOffset now)
    {
        var trimmedName = Guard.Text("name", name, MaxNameLength);
        // PB is prepared the year before the budget it feeds.
        if (fiscalYear < now.Year || fiscalYear > now.Year + 2)
        {
            throw new DomainException("fiscalYear", $"The fiscal year must be between {now.Year} and {now.Year + 2}");
        }
        if (!Stages.TryParseLevel(level, out var parsedLevel))
        {
            throw new DomainException("level", "The level must be district, province or region");
        }
        Guard.Soles("budgetCeiling", budgetCeiling);

        var process = new Process
        {
            Id = Guid.CreateVersion7(now),
            Jurisdiction = jurisdiction,
            Name = trimmedName,
            FiscalYear = fiscalYear,
            Level = parsedLevel,
            BudgetCeiling = budgetCeiling,
            Stage = Stage.Preparation,
            OpenedAt = now,
        };
        return (process, new ProcessOpened
        {
            ProcessId = process.Id,
            Jurisdiction = process.Jurisdiction,
            Name = process.Name,
            FiscalYear = process.FiscalYear,
            Level = process.Level,
            BudgetCeiling = process.BudgetCeiling,
            Stage = process.Stage,
        });
    }

    /// <summary>Stages advance one at a time, in order; a closed stage never reopens.</summary>
    public StageAdvanced AdvanceTo(Stage next)
    {
        if (next != Stage + 1)
        {
            throw new ConflictException("stage", $"The process is in {Stage}; the next stage is {(Stage == Stage.Oversight ? "none" : (Stage + 1).ToString())}, not {next}");
        }
        var from = Stage;
        Stage = next;
        return new StageAdvanced { ProcessId = Id, Jurisdiction = Jurisdiction, FromStage = from, ToStage = next };
    }

    public static Process Restore(Guid id, string jurisdiction, string name, int fiscalYear, string level, decimal budgetCeiling, string stage, DateTimeOffset openedAt) => new()
    {
        Id = id,
        Jurisdiction = jurisdiction,
        Name = name,
        FiscalYear = fiscalYear,
        Level = Enum.Parse<GovernmentLevel>(level),
        BudgetCeiling = budgetCeiling,
        Stage = Enum.Parse<Stage>(stage),
        OpenedAt = openedAt,
    };
}
