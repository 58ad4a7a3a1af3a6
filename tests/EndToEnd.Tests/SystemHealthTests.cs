using Aspire.Hosting;

namespace PBServices.EndToEnd.Tests;

public sealed class SystemHealthTests(SystemFixture system)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("messaging")]
    [InlineData("registrationdb")]
    [InlineData("deliberationdb")]
    [InlineData("assessmentdb")]
    [InlineData("coordinationdb")]
    [InlineData("submissiondb")]
    [InlineData("oversightdb")]
    [InlineData("registration")]
    [InlineData("deliberation")]
    [InlineData("technical-assessment")]
    [InlineData("coordination")]
    [InlineData("ministry-submission")]
    [InlineData("oversight")]
    [InlineData("gateway")]
    [InlineData("portal")]
    public async Task Every_resource_on_the_dashboard_becomes_healthy(string resource)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var state = await system.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        Assert.Equal("Running", state.Snapshot.State?.Text);
    }
}
