using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>Events as a registration service raises them; each call is a new event with its own id.</summary>
internal static class SampleEvents
{
    public static ProcessOpened ProcessOpened(string name) => new()
    {
        Jurisdiction = "150101",
        ProcessId = Guid.NewGuid(),
        Name = name,
        FiscalYear = 2027,
        Level = GovernmentLevel.District,
        BudgetCeiling = 2_500_000m,
        Stage = Stage.Preparation,
    };
}
