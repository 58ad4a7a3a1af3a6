using System.ComponentModel.DataAnnotations;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PBServices.Grpc.Intake;

namespace PBServices.MinistrySubmission.Infrastructure;

/// <summary>The national intake and the client credentials it issued to this deployment.</summary>
public sealed class MinistryOptions
{
    [Required(ErrorMessage = "Ministry:IntakeUrl is not set: the address of the Ministry's national intake (gRPC)")]
    public Uri? IntakeUrl { get; set; }

    [Required(ErrorMessage = "Ministry:ClientId is not set: the client id the Ministry's intake issued to this deployment")]
    public string? ClientId { get; set; }

    [Required(ErrorMessage = "Ministry:ClientSecret is not set: the client secret the Ministry's intake issued to this deployment")]
    public string? ClientSecret { get; set; }

    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The intake's own token for this deployment (client credentials), kept until shortly before it expires. The intake is
/// another trust domain: nothing of this deployment's signing keys or tokens is valid there.
/// </summary>
public sealed class IntakeCredentials(IntakeAuth.IntakeAuthClient auth, IOptions<MinistryOptions> options, TimeProvider time)
{
    // Renewed this long before the intake's expiry, so a call never leaves with a token about to lapse.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _cached;

    public async Task<Metadata> HeadersAsync(CancellationToken ct) => new() { { "authorization", $"Bearer {await TokenAsync(ct)}" } };

    /// <summary>The intake refused the token (revoked, or its keys rotated): the next call asks for a new one.</summary>
    public void Forget() => _cached = null;

    private async Task<string> TokenAsync(CancellationToken ct)
    {
        if (_cached is { } c && time.GetUtcNow() < c.RenewAt)
        {
            return c.Token;
        }
        await _gate.WaitAsync(ct);
        try
        {
            if (_cached is { } again && time.GetUtcNow() < again.RenewAt)
            {
                return again.Token;
            }
            var o = options.Value;
            var reply = await auth.IssueTokenAsync(new IssueTokenRequest { ClientId = o.ClientId, ClientSecret = o.ClientSecret },
                deadline: DateTime.UtcNow.Add(o.CallTimeout), cancellationToken: ct);
            var lifetime = TimeSpan.FromSeconds(Math.Max(0, reply.ExpiresIn));
            var renewAt = time.GetUtcNow() + (lifetime > 2 * Margin ? lifetime - Margin : lifetime / 2);
            _cached = (reply.AccessToken, renewAt);
            return reply.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }
}
