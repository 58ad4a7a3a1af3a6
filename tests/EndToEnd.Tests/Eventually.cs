namespace PBServices.EndToEnd.Tests;

/// <summary>Events cross the broker asynchronously: poll for an outcome, with a bound and a clear failure.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}");
            }
            await Task.Delay(250);
        }
    }
}
