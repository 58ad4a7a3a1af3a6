using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using PBServices.Grpc.Intake;
using PBServices.Grpc.Ministry;

// Usage:
//   pb-grpc submissions ADDRESS TOKEN [FISCAL_YEAR]        SubmissionQuery.ListSubmissions at a deployment's gateway (a token from its /connect/token)
//   pb-grpc decisions ADDRESS TOKEN PROCESS_ID             SubmissionQuery.ListDecisions
//   pb-grpc intake-submissions ADDRESS CLIENT_ID SECRET    IntakeAuth.IssueToken, then IntakeQuery.ListSubmissions at the national intake
//   pb-grpc aggregate ADDRESS FISCAL_YEAR                  IntakeQuery.GetAggregate (public)
// Every reply is printed as one JSON object per line; a refusal prints its gRPC status and exits 2.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: pb-grpc submissions|decisions|intake-submissions|aggregate ADDRESS …  (see Program.cs)");
    return 1;
}
using var channel = GrpcChannel.ForAddress(args[1]);
var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
try
{
    switch (args[0])
    {
        case "submissions":
            await Print(new SubmissionQuery.SubmissionQueryClient(channel).ListSubmissions(
                new ListSubmissionsRequest { FiscalYear = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0 }, Bearer(args[2])));
            break;
        case "decisions" when args.Length > 3:
            await Print(new SubmissionQuery.SubmissionQueryClient(channel).ListDecisions(new ListDecisionsRequest { ProcessId = args[3] }, Bearer(args[2])));
            break;
        case "intake-submissions" when args.Length > 3:
            var token = await new IntakeAuth.IntakeAuthClient(channel).IssueTokenAsync(new IssueTokenRequest { ClientId = args[2], ClientSecret = args[3] });
            await Print(new IntakeQuery.IntakeQueryClient(channel).ListSubmissions(new ListReceivedRequest(), Bearer(token.AccessToken)));
            break;
        case "aggregate":
            Console.WriteLine(formatter.Format(await new IntakeQuery.IntakeQueryClient(channel).GetAggregateAsync(
                new AggregateRequest { FiscalYear = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) })));
            break;
        default:
            Console.Error.WriteLine($"unknown command or missing arguments: {string.Join(' ', args)}");
            return 1;
    }
}
catch (RpcException e)
{
    Console.Error.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
    return 2;
}
return 0;

Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

async Task Print<T>(AsyncServerStreamingCall<T> call) where T : IMessage
{
    using (call)
    {
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            Console.WriteLine(formatter.Format(reply));
        }
    }
}
