namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>A test class with one service of its own: a fresh database and a host with the real event bus.</summary>
public abstract class SingleServiceTest(LocalBrokerAndDatabase servers, string servicePrefix) : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    protected readonly DeliveryLog _deliveries = new();
    protected Database _db = null!;
    protected TestService _service = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = new Database(await servers.CreateDatabaseAsync());
        _service = await TestService.StartAsync($"{servicePrefix}-{Guid.NewGuid():N}", _db.ConnectionString, servers, _deliveries);
    }

    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
