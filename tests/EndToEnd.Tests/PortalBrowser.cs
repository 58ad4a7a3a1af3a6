using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download: PB_CHROMIUM overrides the path), and the
/// checks every portal page passes: a cheap phone's width and a desktop's, no sideways scrolling, a light
/// first load, no serious accessibility violation, and a screenshot kept for people to look at.
/// </summary>
public sealed class PortalBrowser : IAsyncLifetime
{
    public const int PhoneWidth = 360;
    public const long FirstLoadBudgetBytes = 200 * 1024;

    private static readonly (string Name, int Width, int Height)[] Viewports = [("movil", PhoneWidth, 740), ("escritorio", 1280, 900)];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>TestResults/screenshots beside the test assembly, or PB_SCREENSHOTS.</summary>
    public static string ScreenshotFolder { get; } =
        Environment.GetEnvironmentVariable("PB_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PB_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>
    /// Opens <paramref name="path"/> fresh (empty cache) at each width, checks it answers <paramref name="status"/>,
    /// runs <paramref name="assertSeen"/> on what a resident sees, then the checks every page passes. Returns the
    /// first load's transferred bytes (the same at both widths: one document, one stylesheet).
    /// </summary>
    public async Task<long> CheckAsync(Uri gateway, string path, string name, Func<IPage, Task> assertSeen, int status = 200, IEnumerable<Cookie>? cookies = null)
    {
        var output = TestContext.Current.TestOutputHelper;
        long firstLoad = 0;
        foreach (var (viewport, width, height) in Viewports)
        {
            await using var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = gateway.ToString(),
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Locale = "es-PE",
            });
            if (cookies is not null)
            {
                await context.AddCookiesAsync(cookies);
            }
            var page = await context.NewPageAsync();
            var responses = new List<IResponse>();
            page.Response += (_, r) => responses.Add(r);
            // A refused stylesheet or a Content-Security-Policy violation shows up here.
            var errors = new List<string>();
            page.Console += (_, m) =>
            {
                // Chromium also logs the document's own error status, which the test expects and checks.
                if (m.Type == "error" && !(status >= 400 && m.Text.StartsWith($"Failed to load resource: the server responded with a status of {status} ", StringComparison.Ordinal)))
                {
                    errors.Add(m.Text);
                }
            };
            page.RequestFailed += (_, r) => errors.Add($"{r.Url}: {r.Failure}");

            var response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            Assert.NotNull(response);
            Assert.Equal(status, response.Status);
            Assert.Equal("es", await page.GetAttributeAsync("html", "lang"));
            // The stylesheet (and anything else the page asks for) arrives: a page without its CSS is no page.
            Assert.All(responses.Where(r => r != response), r => Assert.True(r.Ok, $"{r.Url}: {r.Status}"));
            Assert.True(errors.Count == 0, $"{path}: " + string.Join("; ", errors));
            Assert.True(await page.EvaluateAsync<bool>("document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0"), $"{path}: no stylesheet applied");
            await assertSeen(page);

            long bytes = 0;
            foreach (var r in responses)
            {
                var sizes = await r.Request.SizesAsync();
                bytes += sizes.ResponseHeadersSize + sizes.ResponseBodySize;
            }
            Assert.True(bytes < FirstLoadBudgetBytes, $"{path}: first load {bytes} bytes in {responses.Count} responses, over {FirstLoadBudgetBytes}");
            firstLoad = bytes;

            var screenshot = await CheckShownAsync(page, $"{name}-{viewport}");
            output?.WriteLine($"{path} at {width}x{height}: {responses.Count} responses, {bytes / 1024.0:0.0} KB transferred; screenshot {screenshot}");
        }
        return firstLoad;
    }

    /// <summary>A fresh phone-width context for a flow a person goes through (signing in, filling a form); it keeps its cookies.</summary>
    public Task<IBrowserContext> NewPhoneContextAsync(Uri gateway, int height = 740) => _browser!.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = gateway.ToString(),
        ViewportSize = new ViewportSize { Width = PhoneWidth, Height = height },
        Locale = "es-PE",
    });

    /// <summary>
    /// The checks of every page on one already shown (the answer to a form, say): no sideways scrolling on a
    /// phone, no serious accessibility violation, and its screenshot, whose path it returns.
    /// </summary>
    public static async Task<string> CheckShownAsync(IPage page, string name)
    {
        var width = page.ViewportSize?.Width;
        if (width == PhoneWidth)
        {
            var scrollWidth = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
            Assert.True(scrollWidth <= PhoneWidth, $"{page.Url} at {PhoneWidth} px scrolls sideways: {scrollWidth} px wide");
        }

        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url} at {width} px: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));

        var screenshot = Path.Combine(ScreenshotFolder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        return screenshot;
    }
}
