namespace PBServices.BuildingBlocks.Security;

/// <summary>The roles of DESIGN.md section 2; each is also the name of the policy that requires it.</summary>
public static class Roles
{
    public const string Resident = "resident";
    public const string Agent = "agent";
    public const string ProcessAdmin = "process-admin";
    public const string TechnicalTeam = "technical-team";
    /// <summary>Leads the technical team: assigns assessments to its members, and may work any of them.</summary>
    public const string TechnicalTeamLead = "technical-team-lead";
    public const string CoordinationCouncil = "coordination-council";
    public const string Council = "council";
    public const string Oversight = "oversight";
    public const string Ministry = "ministry";
    public const string Integrator = "integrator";

    public static readonly IReadOnlyList<string> All =
        [Resident, Agent, ProcessAdmin, TechnicalTeam, TechnicalTeamLead, CoordinationCouncil, Council, Oversight, Ministry, Integrator];
}

public static class PbClaims
{
    public const string Role = "role";
    public const string Jurisdiction = "jurisdiction";
    public const string Subject = "sub";
    /// <summary>The jurisdiction of a national-level actor (the Ministry), which may act for every jurisdiction.</summary>
    public const string NationalJurisdiction = "PE";
}
