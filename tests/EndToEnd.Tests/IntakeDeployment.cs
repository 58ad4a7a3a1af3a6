using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using PBServices.Contracts.Submissions;
using PBServices.Grpc.Intake;

namespace PBServices.EndToEnd.Tests;

/// <summary>What a test deployment does at the national intake: its key enrolled, its client and token, its packages signed.</summary>
internal static class IntakeDeployment
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The officer enrols the jurisdiction's public key; the key id is the SHA-256 of the key.</summary>
    public static async Task<string> EnrolAsync(HttpClient officer, string jurisdiction, ECDsa key)
    {
        var response = await officer.PostAsJsonAsync("/api/intake/keys",
            new { jurisdiction, publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), reason = "Enrolled by the end-to-end tests" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var keyId = body.GetProperty("keyId").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())), keyId);
        Assert.Equal(jurisdiction, body.GetProperty("jurisdiction").GetString());
        return keyId;
    }

    public static async Task<(string ClientId, string Secret)> CreateClientAsync(HttpClient officer, string clientId, string role, string jurisdiction)
    {
        var response = await officer.PostAsJsonAsync("/api/intake/clients", new { clientId, role, jurisdiction }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (clientId, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("clientSecret").GetString()!);
    }

    public static async Task<string> GrpcTokenAsync(GrpcChannel channel, string clientId, string secret) =>
        (await new IntakeAuth.IntakeAuthClient(channel).IssueTokenAsync(new IssueTokenRequest { ClientId = clientId, ClientSecret = secret }, cancellationToken: Ct)).AccessToken;

    public static Metadata Bearer(string token) => new() { { "Authorization", $"Bearer {token}" } };

    /// <summary>The package as a deployment sends it: canonical content, its SHA-256, and the signature over that hash.</summary>
    public static SubmitRequest Sign(SubmissionDocument d, ECDsa key, string? keyId = null)
    {
        var content = d.Canonicalize();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(content));
        return new SubmitRequest
        {
            SubmissionId = d.SubmissionId.ToString(), Jurisdiction = d.Jurisdiction, ProcessId = d.ProcessId.ToString(), CanonicalContent = content,
            ContentHash = Convert.ToHexStringLower(hash), Signature = Convert.ToBase64String(key.SignHash(hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            KeyId = keyId ?? Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())),
        };
    }
}
