using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace PBServices.Portal;

// What the registration API answers a signed-in person, as this client reads it.
public sealed record TokenView(string access_token, int expires_in);
public sealed record OrganisationView(Guid Id, string Name, string Type, string Territory, int ActiveMembers);
public sealed record ApplicantView(Guid Id, string Role, string FullName, string? Gender, int? BirthYear, string Status, bool IdentityConfirmed, string? Dni);
public sealed record DocumentView(Guid Id, string Kind, string ContentType, long Size, string Sha256, DateTimeOffset UploadedAt);
public sealed record ApplicationView(Guid Id, Guid ProcessId, Guid OrganisationId, string OrganisationName, string Channel, string Status,
    DateTimeOffset SubmittedAt, string? Observations, DateOnly? CorrectBy, string? Reasons,
    IReadOnlyList<ApplicantView> Agents, IReadOnlyList<DocumentView> Documents, IReadOnlyList<string> MissingDocuments);
public sealed record ObjectionView(Guid Id, Guid AgentId, string Status, string Grounds, string? Evidence, DateTimeOffset FiledAt, string? Resolution);
public sealed record AccreditationView(int Accredited);
public sealed record EligibilityView(Guid AgentId, bool MayPropose, bool MayVote, bool TrainingRequired, bool Trained, IReadOnlyList<string> Reasons);
public sealed record ReceiptView(Guid RoundId, string Receipt);
public sealed record AttendanceView(Guid WorkshopId, Guid AgentId, string CheckedInBy, DateTimeOffset At);

/// <summary>An RFC 7807 refusal (4xx) as the API wrote it: the page shows it beside the form.</summary>
public sealed record ApiProblem(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Each refused field with its reason, or the detail alone when no field is named.</summary>
    public IEnumerable<(string? Field, string Reason)> Reasons =>
        Errors.Count > 0
            ? Errors.SelectMany(e => e.Value.Select(reason => ((string?)e.Key, reason)))
            : [(null, Detail ?? Title ?? $"HTTP {Status}")];
}

/// <summary>Either what the API answered, or why it refused.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem) where T : class
{
    public bool Refused => Problem is not null;
}

/// <summary>The signed-in person's token was refused (expired, or from another deployment): they sign in again.</summary>
public sealed class SignInAgainException(string path) : Exception($"{path}: 401");

/// <summary>
/// The registration API as the signed-in person, through the gateway, with their token. Writes are not
/// retried (a second POST could register twice); a refusal is a value the page shows, a failure of the
/// services the same Spanish error page as the public reads.
/// </summary>
public sealed class SignedInApi(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Development deployments only: the registration service issues a token for any role.</summary>
    public Task<ApiResult<TokenView>> DevTokenAsync(string subject, string role, string jurisdiction, CancellationToken ct) =>
        SendAsync<TokenView>(null, HttpMethod.Post, "/api/registration/dev-tokens", JsonContent.Create(new { subject, roles = new[] { role }, jurisdiction }), ct);

    public Task<ApiResult<OrganisationView>> CreateOrganisationAsync(Session s, object organisation, CancellationToken ct) =>
        SendAsync<OrganisationView>(s, HttpMethod.Post, "/api/registration/organisations", JsonContent.Create(organisation), ct);

    public Task<ApiResult<ApplicationView>> ApplyAsync(Session s, Guid processId, object application, CancellationToken ct) =>
        SendAsync<ApplicationView>(s, HttpMethod.Post, $"/api/registration/processes/{processId}/applications", JsonContent.Create(application), ct);

    public Task<ApiResult<DocumentView>> UploadAsync(Session s, Guid processId, Guid applicationId, string kind, IFormFile file, CancellationToken ct)
    {
        var form = new MultipartFormDataContent { { new StringContent(kind), "kind" } };
        var content = new StreamContent(file.OpenReadStream());
        content.Headers.ContentType = MediaTypeHeaderValue.TryParse(file.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", Path.GetFileName(file.FileName));
        return SendAsync<DocumentView>(s, HttpMethod.Post, $"/api/registration/processes/{processId}/applications/{applicationId}/documents", form, ct);
    }

    public async Task<IReadOnlyList<ApplicationView>> MyApplicationsAsync(Session s, CancellationToken ct) =>
        await ReadAsync<ApplicationView[]>(s, "/api/registration/applications/mine", ct);

    public Task<ApiResult<ApplicationView>> ApplicationAsync(Session s, Guid processId, Guid applicationId, CancellationToken ct) =>
        SendAsync<ApplicationView>(s, HttpMethod.Get, $"/api/registration/processes/{processId}/applications/{applicationId}", null, ct);

    /// <summary>Every application of the process, with the persons' DNI (the process-admin's view).</summary>
    public Task<ApiResult<ApplicationView[]>> ApplicationsAsync(Session s, Guid processId, CancellationToken ct) =>
        SendAsync<ApplicationView[]>(s, HttpMethod.Get, $"/api/registration/processes/{processId}/applications", null, ct);

    public Task<ApiResult<ApplicationView>> ConfirmIdentityAsync(Session s, Guid processId, Guid applicationId, Guid agentId, CancellationToken ct) =>
        SendAsync<ApplicationView>(s, HttpMethod.Post, $"/api/registration/processes/{processId}/applications/{applicationId}/agents/{agentId}/identity",
            JsonContent.Create(new { method = "DeskCard" }), ct);

    public Task<ApiResult<ApplicationView>> ReviewAsync(Session s, Guid processId, Guid applicationId, string decision, string? reasons, DateOnly? correctBy, CancellationToken ct) =>
        SendAsync<ApplicationView>(s, HttpMethod.Post, $"/api/registration/processes/{processId}/applications/{applicationId}/review",
            JsonContent.Create(new { decision, reasons, correctBy = correctBy?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }), ct);

    public Task<ApiResult<EligibleListView>> PublishEligibleListAsync(Session s, Guid processId, CancellationToken ct) =>
        SendAsync<EligibleListView>(s, HttpMethod.Post, $"/api/registration/processes/{processId}/eligible-list", null, ct);

    public Task<ApiResult<AccreditationView>> AccreditAsync(Session s, Guid processId, CancellationToken ct) =>
        SendAsync<AccreditationView>(s, HttpMethod.Post, $"/api/registration/processes/{processId}/accreditation", null, ct);

    public Task<ApiResult<ObjectionView>> ObjectAsync(Session s, Guid processId, Guid agentId, string? grounds, string? evidence, CancellationToken ct) =>
        SendAsync<ObjectionView>(s, HttpMethod.Post, $"/api/registration/processes/{processId}/objections", JsonContent.Create(new { agentId, grounds, evidence }), ct);

    /// <summary>Whether the signed-in agent may vote, and why not (deliberation answers for the agent themself).</summary>
    public Task<ApiResult<EligibilityView>> EligibilityAsync(Session s, Guid processId, CancellationToken ct) =>
        SendAsync<EligibilityView>(s, HttpMethod.Get, $"/api/deliberation/processes/{processId}/eligibility", null, ct);

    /// <summary>The agent's secret ballot: project ids in the voter's order, with points for cumulative ballots.</summary>
    public Task<ApiResult<ReceiptView>> CastBallotAsync(Session s, Guid processId, Guid roundId, IReadOnlyList<Guid> projects, IReadOnlyList<int> points, CancellationToken ct) =>
        SendAsync<ReceiptView>(s, HttpMethod.Post, $"{PublicApi.RoundPath(processId, roundId)}/ballots", JsonContent.Create(new { projects, points }), ct);

    /// <summary>The signed-in agent checks themself in, online, on the workshop's day.</summary>
    public Task<ApiResult<AttendanceView>> CheckInAsync(Session s, Guid processId, Guid workshopId, CancellationToken ct) =>
        SendAsync<AttendanceView>(s, HttpMethod.Post, $"{PublicApi.WorkshopsPath(processId)}/{workshopId}/attendance", JsonContent.Create(new { }), ct);

    /// <summary>A document of an application, streamed as the API sends it; null when it does not exist or is not this person's to see.</summary>
    public async Task<HttpResponseMessage?> DocumentAsync(Session s, Guid processId, Guid applicationId, Guid documentId, CancellationToken ct)
    {
        var path = $"/api/registration/processes/{processId}/applications/{applicationId}/documents/{documentId}";
        var response = await CallAsync(s, HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => throw new SignInAgainException(path),
                HttpStatusCode.NotFound or HttpStatusCode.Forbidden => null,
                _ => throw Unavailable(path, response.StatusCode),
            };
        }
    }

    private async Task<T> ReadAsync<T>(Session s, string path, CancellationToken ct) where T : class
    {
        var result = await SendAsync<T>(s, HttpMethod.Get, path, null, ct);
        return result.Value ?? throw new ApiUnavailableException(path, StatusCodes.Status502BadGateway, $"refused: {result.Problem!.Detail}");
    }

    private async Task<ApiResult<T>> SendAsync<T>(Session? s, HttpMethod method, string path, HttpContent? content, CancellationToken ct) where T : class
    {
        using var response = await CallAsync(s, method, path, content, HttpCompletionOption.ResponseContentRead, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized && s is not null)
        {
            throw new SignInAgainException(path);
        }
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500 and not 429)
        {
            return new ApiResult<T>(null, await ProblemAsync(response, ct));
        }
        if (!response.IsSuccessStatusCode)
        {
            throw Unavailable(path, response.StatusCode);
        }
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
            return new ApiResult<T>(value ?? throw new ApiUnavailableException(path, StatusCodes.Status502BadGateway, "answered an empty body"), null);
        }
        catch (JsonException e)
        {
            throw new ApiUnavailableException(path, StatusCodes.Status502BadGateway, "answered something that is not the expected JSON", e);
        }
    }

    private async Task<HttpResponseMessage> CallAsync(Session? s, HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (s is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.Token);
        }
        try
        {
            return await http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnavailableException(path, StatusCodes.Status503ServiceUnavailable, "unreachable", e);
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            throw new ApiUnavailableException(path, StatusCodes.Status503ServiceUnavailable, "timed out", e);
        }
    }

    private static ApiUnavailableException Unavailable(string path, HttpStatusCode status) =>
        new(path, status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway,
            $"answered {(int)status}");

    private static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var root = body.RootElement;
            var errors = new Dictionary<string, string[]>();
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in e.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray()
                        : [field.Value.ToString()];
                }
            }
            return new ApiProblem(status, Text(root, "title"), Text(root, "detail"), errors);
        }
        catch (JsonException)
        {
            // A refusal without a problem body (the gateway's own, say) still says which status it was.
            return new ApiProblem(status, null, null, new Dictionary<string, string[]>());
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>A refusal shown above a form: a Spanish heading, each reason with the form's label for its field (a link to it).</summary>
public sealed record ProblemBox(ApiProblem? Problem, string Heading, Func<string?, string> Label, Func<string?, string?> FieldId)
{
    /// <summary>The form's label for the field, or the name of what the API checked beyond the form (its calendar, its stage).</summary>
    public string LabelOf(string? field) => field switch
    {
        "calendar" => "Plazo",
        "stage" or "toStage" => "Etapa del proceso",
        "list" or "eligibleList" => "Lista de agentes",
        "objections" => "Tachas pendientes",
        _ => Label(field),
    };

    /// <summary>What the status means for the person, before the service's own words.</summary>
    public string Meaning => Problem?.Status switch
    {
        400 => "Revise estos datos:",
        403 => "Su ingreso no permite hacer esto en este proceso.",
        404 => "No encontramos lo que buscaba: puede que ya no exista.",
        409 => "El proceso no lo permite en este momento:",
        _ => "El servicio no lo aceptó:",
    };
}
