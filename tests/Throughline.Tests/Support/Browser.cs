using Microsoft.Playwright;

namespace Throughline.Tests.Support;

/// <summary>Debian's Chromium driven by Playwright, headless; nothing is downloaded.</summary>
/// <remarks>Without /usr/bin/chromium the browser tests skip on a laptop and fail under ./test.sh or CI.</remarks>
public sealed class Browser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Where screenshots go: tests/Throughline.Tests/bin/.../screenshots, for a person to look at.</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(Executable))
        {
            TestDatabase.Unavailable($"{Executable} is missing: install Debian's chromium package (./test.sh does).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = Arguments });
        return new Browser(playwright, browser);
    }

    /// <summary>A token every page opened afterwards sends as <c>Authorization: Bearer</c>; null opens pages signed out.</summary>
    public string? Token { get; set; }

    /// <summary>A new page that records console errors and uncaught exceptions; it sends <see cref="Token"/> when one is set.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(int width = 1280, int height = 900)
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ExtraHTTPHeaders = Token is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token },
        });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return (page, errors);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
