using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using PBServices.EndToEnd.Tests.Telemetry;

[assembly: AssemblyFixture(typeof(PBServices.EndToEnd.Tests.SystemFixture))]

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// The whole system as the AppHost starts it — local PostgreSQL and RabbitMQ, five services, the
/// gateway — on a fresh data folder, once for the assembly. Tests talk only to the gateway.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    public const string IntegratorSecret = "e2e-integrator-secret";
    /// <summary>The national intake's bootstrapped officer client, mef-officer.</summary>
    public const string MinistryOfficerSecret = "e2e-ministry-secret";
    /// <summary>Low enough for a test to exceed in seconds, high enough for the whole suite's anonymous reads, which share one address (300 was not, once the deliberation suites polled through it).</summary>
    public const int PermitsPerMinute = 1000;
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), $"pb-e2e-{Guid.NewGuid():N}");
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not started");
    /// <summary>What the services exported as traces, as the dashboard would show them.</summary>
    public TelemetryReceiver Telemetry { get; private set; } = null!;
    public HttpClient Gateway { get; private set; } = null!;
    public GrpcChannel GatewayGrpc { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            $"--LocalData:Root={_dataRoot}",
            $"--Parameters:integrator-secret={IntegratorSecret}",
            $"--Parameters:ministry-officer-secret={MinistryOfficerSecret}",
            "--PB:Demo=false",
            $"--PB:GatewayPermitsPerMinute={PermitsPerMinute}",
        ], TestContext.Current.CancellationToken);
        Telemetry = await TelemetryReceiver.StartAsync();
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // Added after the AppHost's own OTLP settings, so these win: every service exports here.
            builder.CreateResourceBuilder(project)
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500")
                .WithEnvironment("OTEL_TRACES_SAMPLER", "always_on");
        }
        _app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await _app.StartAsync(startup.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);

        Gateway = _app.CreateHttpClient("gateway", "http");
        Gateway.Timeout = TimeSpan.FromSeconds(60);
        GatewayGrpc = GrpcChannel.ForAddress(_app.GetEndpoint("gateway", "grpc"));
    }

    public async ValueTask DisposeAsync()
    {
        GatewayGrpc?.Dispose();
        Gateway?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the system temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A development token from registration, through the gateway, as a person of that role would hold.</summary>
    public async Task<string> TokenAsync(string role, string jurisdiction, string? subject = null)
    {
        var response = await Gateway.PostAsJsonAsync("/api/registration/dev-tokens", new { subject, roles = new[] { role }, jurisdiction });
        // Token requests are anonymous, so they share the gateway's per-address rate limit: many tests at once may meet it.
        for (var wait = 0; response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && wait < 70; wait += 2)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            response = await Gateway.PostAsJsonAsync("/api/registration/dev-tokens", new { subject, roles = new[] { role }, jurisdiction });
        }
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.access_token;
    }

    /// <summary>A ministry officer at the national intake (another deployment, not behind the gateway), with the intake's own token.</summary>
    public async Task<HttpClient> MinistryOfficerAsync()
    {
        var officer = App.CreateHttpClient("national-intake", "http");
        var response = await officer.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "mef-officer", ["client_secret"] = MinistryOfficerSecret,
        }));
        response.EnsureSuccessStatusCode();
        officer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.Content.ReadFromJsonAsync<TokenResponse>())!.access_token);
        return officer;
    }

    public HttpClient As(string token)
    {
        var client = App.CreateHttpClient("gateway", "http");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Kills the service's process outright (SIGKILL), as a crash or an evicted pod would, and waits until it is down.</summary>
    public async Task CrashAsync(string resource, CancellationToken ct)
    {
        var running = await App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct);
        var launcher = int.Parse(running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value!.ToString()!, System.Globalization.CultureInfo.InvariantCulture);
        // The AppHost starts a project through `dotnet run`; the service is its child process.
        var children = File.ReadAllText($"/proc/{launcher}/task/{launcher}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var service = System.Diagnostics.Process.GetProcessById(int.Parse(children.Single(), System.Globalization.CultureInfo.InvariantCulture));
        service.Kill();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text is not null && e.Snapshot.State.Text != KnownResourceStates.Running, timeout.Token);
    }

    public sealed record TokenResponse(string access_token, string token_type, int expires_in);
}
