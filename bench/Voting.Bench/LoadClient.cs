using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace PBServices.Voting.Bench;

/// <summary>What a run measured: every request's latency, the wall time, and the answers that were not the expected one.</summary>
public sealed record RunStats(string Name, int Clients, int Requests, double Seconds, double[] LatenciesMs, IReadOnlyDictionary<string, int> Errors)
{
    public double Rate => Requests / Seconds;
    public int ErrorCount => Errors.Values.Sum();
    /// <summary>Nearest-rank percentile of the sorted latencies.</summary>
    public double Percentile(double p) =>
        LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1, 0, LatenciesMs.Length - 1)];
    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];

    /// <summary>Runs of one path taken in turns with another, as one: their requests, wall times and latencies together.</summary>
    public static RunStats Combine(IReadOnlyList<RunStats> runs)
    {
        var latencies = runs.SelectMany(r => r.LatenciesMs).ToArray();
        Array.Sort(latencies);
        var errors = runs.SelectMany(r => r.Errors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        return new RunStats(runs[0].Name, runs[0].Clients, runs.Sum(r => r.Requests), runs.Sum(r => r.Seconds), latencies, errors);
    }
}

/// <summary>
/// A closed-loop load client: exactly <c>clients</c> connections, each sending its next request as soon as the
/// previous one answered, until every request is sent once. Latency is measured per request, send to last byte.
/// </summary>
public static class LoadClient
{
    public sealed record Request(string Path, string Token, byte[] Json);

    public static async Task<RunStats> RunAsync(string name, Uri address, IReadOnlyList<Request> requests, int clients, HttpStatusCode expected, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var latencies = new double[requests.Count];
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var next = -1;
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                var r = requests[i];
                using var message = new HttpRequestMessage(HttpMethod.Post, r.Path) { Content = new ByteArrayContent(r.Json) };
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", r.Token);
                var start = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
                    error = response.StatusCode == expected ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (HttpRequestException e)
                {
                    error = e.HttpRequestError.ToString();
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    error = "timeout";
                }
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (error is not null)
                {
                    errors.AddOrUpdate(error, 1, (_, n) => n + 1);
                }
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        wall.Stop();
        Array.Sort(latencies);
        return new RunStats(name, clients, requests.Count, wall.Elapsed.TotalSeconds, latencies, errors);
    }
}
