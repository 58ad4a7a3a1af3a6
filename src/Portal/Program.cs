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
#pragma warning restore EXTEXP0001

var app = builder.Build();

app.UseResponseCompression();
// A failed API call becomes a page saying so in Spanish (502/503), never a stack trace.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/error",
    StatusCodeSelector = e => e is ApiUnavailableException u ? u.Status : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePagesWithReExecute("/estado/{0}");
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
