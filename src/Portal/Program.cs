using Microsoft.Extensions.Http.Resilience;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using PBServices.Portal;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddRazorPages();
// Slow mobile connections: pages and the stylesheet travel compressed (text/html and text/css by default).
builder.Services.AddResponseCompression();
// A client like any other: the public APIs through the gateway, found by service discovery. A person is
// waiting for the page, so one quick retry over a blip, then say so, rather than the default ~30 s of retries.
// RemoveAllResilienceHandlers is marked experimental; it is the way to replace the defaults' pipeline for one client.
#pragma warning disable EXTEXP0001
builder.Services.AddHttpClient<PublicApi>(http => http.BaseAddress = new Uri(builder.Configuration["Portal:GatewayUrl"] ?? "http://_http.gateway"))
    .RemoveAllResilienceHandlers()
    .AddStandardResilienceHandler(o =>
    {
        o.Retry.MaxRetryAttempts = 1;
        o.Retry.Delay = TimeSpan.FromMilliseconds(300);
        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
    });
// The signed-in person's calls: a write is never repeated (a second POST could register twice), and
// three documents of up to 10 MB each may take a while on a slow connection.
builder.Services.AddHttpClient<SignedInApi>(http => http.BaseAddress = new Uri(builder.Configuration["Portal:GatewayUrl"] ?? "http://_http.gateway"))
    .RemoveAllResilienceHandlers()
    .AddStandardResilienceHandler(o =>
    {
        o.Retry.MaxRetryAttempts = 1;
        o.Retry.Delay = TimeSpan.FromMilliseconds(300);
        o.Retry.DisableForUnsafeHttpMethods();
        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(60);
        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(120);
    });
#pragma warning restore EXTEXP0001
builder.Services.AddSingleton(TimeProvider.System);
// The gateway in front says whether the person's connection is HTTPS (the session cookie is Secure then).
builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedProto);

var app = builder.Build();

app.UseForwardedHeaders();
app.UseResponseCompression();
// A failed API call becomes a page saying so in Spanish (502/503), never a stack trace.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/error",
    StatusCodeSelector = e => e is ApiUnavailableException u ? u.Status : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePagesWithReExecute("/estado/{0}");
// An expired or refused token: the person signs in again and comes back to the page they were on.
app.Use(async (context, next) =>
{
    try
    {
        await next(context);
    }
    catch (SignInAgainException) when (!context.Response.HasStarted)
    {
        Session.Forget(context);
        var back = context.Request.Method == HttpMethods.Get ? context.Request.Path + context.Request.QueryString : context.Request.Path.ToString();
        context.Response.Redirect("/ingresar?volver=" + Uri.EscapeDataString(back));
    }
});
app.UseRequestLocalization(new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture(Es.Peru),
    SupportedCultures = [Es.Peru],
    SupportedUICultures = [Es.Peru],
});
app.Use((context, next) =>
{
    // No script, no third party: the pages need nothing but themselves and their stylesheet.
    var headers = context.Response.Headers;
    headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    headers.XContentTypeOptions = "nosniff";
    headers["Referrer-Policy"] = "no-referrer";
    return next(context);
});

app.UseStaticFiles(new StaticFileOptions
{
    // The layout links the stylesheet with its content hash (?v=): a phone keeps it until it changes.
    OnPrepareResponse = file =>
    {
        if (file.Context.Request.Query.ContainsKey("v"))
        {
            file.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        }
    },
});

app.MapDefaultEndpoints();
app.MapRazorPages();

app.Run();
