namespace PBServices.Registration.Domain;

/// <summary>The stages of a PB process, in the order Ley 28056 lays them out.</summary>
public enum Stage
{
    Preparation,
    Concertation,
    Coordination,
    Formalization,
    Submission,
    Oversight,
}

public enum GovernmentLevel
{
    District,
    Province,
    Region,
}
