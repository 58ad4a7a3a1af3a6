using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using PBServices.Grpc.Intake;
using PBServices.NationalIntake.Infrastructure;

namespace PBServices.NationalIntake.Grpc;

/// <summary>Client credentials exchanged for the intake's token; anyone may ask, only a good client and secret get one.</summary>
[AllowAnonymous]
public sealed class IntakeAuthService(ClientCredentials credentials) : IntakeAuth.IntakeAuthBase
{
    public override async Task<IssueTokenReply> IssueToken(IssueTokenRequest request, ServerCallContext context)
    {
        var token = await credentials.IssueAsync(request.ClientId, request.ClientSecret, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "invalid_client: unknown or revoked client, or wrong secret"));
        return new IssueTokenReply { AccessToken = token.AccessToken, ExpiresIn = token.ExpiresIn, Jurisdiction = token.Jurisdiction };
    }
}
