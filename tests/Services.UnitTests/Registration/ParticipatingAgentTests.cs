using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;

namespace PBServices.UnitTests.Registration;

public sealed class ParticipatingAgentTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static Process OpenProcess() => Process.Open("150122", "PP 2026", 2026, "district", 1_000_000m, Now).Process;

    private static ParticipatingAgent Register(Process process, string? fullName = "Rosa Quispe Mamani", string? dni = "40123456",
        string? organisation = "Junta vecinal Santa Cruz") =>
        ParticipatingAgent.Register(process, fullName, dni, organisation, Now);

    [Fact]
    public void An_agent_registers_during_preparation_and_awaits_accreditation()
    {
        var process = OpenProcess();

        var agent = Register(process, fullName: " Rosa Quispe Mamani ", organisation: " Junta vecinal Santa Cruz ");

        Assert.Equal(AgentStatus.Registered, agent.Status);
        Assert.Equal(process.Id, agent.ProcessId);
        Assert.Equal("Rosa Quispe Mamani", agent.FullName);
        Assert.Equal("Junta vecinal Santa Cruz", agent.Organisation);
        Assert.Equal("40123456", agent.Dni);
    }

    [Fact]
    public void Registration_closes_when_preparation_ends()
    {
        var process = OpenProcess();
        process.AdvanceTo(Stage.Concertation);

        var e = Assert.Throws<ConflictException>(() => Register(process));

        Assert.Equal("stage", e.Field);
        Assert.Contains("the process is in Concertation", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4012345")]
    [InlineData("401234567")]
    [InlineData("4012345A")]
    [InlineData(" 4012345")]
    [InlineData("٤٠١٢٣٤٥٦")] // Arabic-Indic digits are digits, but not a DNI
    public void A_DNI_that_is_not_exactly_eight_digits_is_refused(string? dni)
    {
        var e = Assert.Throws<DomainException>(() => Register(OpenProcess(), dni: dni));
        Assert.Equal("dni", e.Field);
    }

    [Theory]
    [InlineData("fullName", null)]
    [InlineData("fullName", " ")]
    [InlineData("organisation", null)]
    [InlineData("organisation", "")]
    public void An_agent_without_a_name_or_organisation_is_refused(string field, string? value)
    {
        var e = Assert.Throws<DomainException>(() => field == "fullName"
            ? Register(OpenProcess(), fullName: value)
            : Register(OpenProcess(), organisation: value));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_registered_agent_is_accredited()
    {
        var process = OpenProcess();
        var agent = Register(process);

        var accredited = agent.Accredit(process);

        Assert.Equal(AgentStatus.Accredited, agent.Status);
        Assert.Equal(agent.Id, accredited.AgentId);
        Assert.Equal(process.Jurisdiction, accredited.Jurisdiction);
    }

    [Fact]
    public void An_agent_is_accredited_only_once()
    {
        var process = OpenProcess();
        var agent = Register(process);
        agent.Accredit(process);

        var e = Assert.Throws<ConflictException>(() => agent.Accredit(process));

        Assert.Equal("agentId", e.Field);
        Assert.Contains("Accredited", e.Message);
    }

    [Fact]
    public void A_revoked_agent_cannot_be_accredited_again()
    {
        var agent = ParticipatingAgent.Restore(Guid.CreateVersion7(), Guid.CreateVersion7(), "Rosa Quispe Mamani", "40123456", "Junta vecinal", "Revoked");

        var e = Assert.Throws<ConflictException>(() => agent.Accredit(OpenProcess()));

        Assert.Equal("agentId", e.Field);
        Assert.Equal(AgentStatus.Revoked, agent.Status);
    }

    [Fact]
    public void Accreditation_closes_when_preparation_ends()
    {
        var process = OpenProcess();
        var agent = Register(process);
        process.AdvanceTo(Stage.Concertation);

        var e = Assert.Throws<ConflictException>(() => agent.Accredit(process));

        Assert.Equal("stage", e.Field);
        Assert.Equal(AgentStatus.Registered, agent.Status);
    }
}
