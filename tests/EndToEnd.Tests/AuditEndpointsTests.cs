using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>Every service serves its audit log's verification and trails under its own gateway prefix.</summary>
public sealed class AuditEndpointsTests(SystemFixture system)
{
    public sealed record VerificationDto(bool Ok, long Entries, long? FirstBrokenSequence, string? Reason);

    [Theory]
    [InlineData("/api/registration")]
    [InlineData("/api/deliberation")]
    [InlineData("/api/assessment")]
    [InlineData("/api/coordination")]
    [InlineData("/api/submissions")]
    public async Task Each_services_audit_chain_verifies_for_oversight_and_is_refused_to_a_resident(string prefix)
    {
        var ct = TestContext.Current.CancellationToken;
        var oversight = system.As(await system.TokenAsync("oversight", "180301"));
        var verification = await oversight.GetFromJsonAsync<VerificationDto>($"{prefix}/audit/verification", ct);
        Assert.NotNull(verification);
        Assert.True(verification.Ok, verification.Reason);
        var trail = await oversight.GetAsync($"{prefix}/audit?processId={Guid.NewGuid()}", ct);
        Assert.Equal(HttpStatusCode.OK, trail.StatusCode);
        Assert.Equal("[]", await trail.Content.ReadAsStringAsync(ct));

        var resident = system.As(await system.TokenAsync("resident", "180301"));
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync($"{prefix}/audit/verification", ct)).StatusCode);
    }
}
