using System.Net;
using System.Text.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>What the tests expect of an answer: its status (or the body in the failure), and for a refusal the field and rule.</summary>
internal static class Answers
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<string> BodyAsync(Task<HttpResponseMessage> send, HttpStatusCode expected)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        return body;
    }

    public static async Task<T> ExpectAsync<T>(Task<HttpResponseMessage> send, HttpStatusCode expected) =>
        JsonSerializer.Deserialize<T>(await BodyAsync(send, expected), Web)!;

    /// <summary>A refusal as RFC 7807 problem details, naming the field and saying the rule.</summary>
    public static async Task<ProblemDto> ProblemAsync(Task<HttpResponseMessage> send, HttpStatusCode expected, string? field, string? rule)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemDto>(body, Web)!;
        if (field is not null)
        {
            Assert.True(problem.Errors?.ContainsKey(field) == true, $"the problem names {field}: {body}");
            Assert.Contains(rule!, string.Join(" ", problem.Errors![field]));
        }
        return problem;
    }
}
