using Throughline.Storage;
using Throughline.Web.Events;
using Throughline.Web.Probes;
using Throughline.Web.DiagnosticsApi;
using Throughline.Web.DocsPages;
using Throughline.Web.MetricsApi;
using Throughline.Web.ModelApi;
using Throughline.Web.Pages;
using Throughline.Web.BoardApi;
using Throughline.Web.ChangesApi;
using Throughline.Web.Projection;
using Throughline.Web.ReleaseApi;
using Throughline.Web.Hooks;
using Throughline.Web.OtlpApi;
using Throughline.Web.ModelReload;
using Throughline.Web.Auth;
using Throughline.Web.AuditApi;

namespace Throughline.Web;

/// <summary>What <c>serve</c> needs to start the web app.</summary>
/// <param name="Database">A SQLite file path or a PostgreSQL connection string.</param>
/// <param name="Urls">Addresses to listen on, for example <c>http://127.0.0.1:8080</c>; null keeps ASP.NET's default.</param>
/// <param name="Model">The operating model in force, if one was given.</param>
/// <param name="ModelWarnings">What validating the model warned about (shown on the model page).</param>
/// <param name="CachedFacts">How many events the timeline keeps in memory; null for the default.</param>
/// <param name="LogLevel">The least severe log lines shown (<c>--log-level</c>); see <see cref="ThroughlineApp.DefaultLogLevel"/>.</param>
/// <param name="ModelSource">Where <paramref name="Model"/> was read from and how it was validated, so that it can be reloaded the same way.</param>
/// <param name="Access">Who may reach what (read-open, the sign-in provider); null for the default: every request needs a token or a session.</param>
internal sealed record ServeSettings(
    string Database, string? Urls = null, Model.OperatingModel? Model = null, IReadOnlyList<Model.ModelProblem>? ModelWarnings = null, int? CachedFacts = null,
    LogLevel LogLevel = ThroughlineApp.DefaultLogLevel, ModelSource? ModelSource = null, AccessSettings? Access = null);

/// <summary>Builds the web app: the host's table of contents.</summary>
internal static class ThroughlineApp
{
    /// <summary>What operators need (start-up facts, refused deliveries, problems) and no line per request.</summary>
    public const LogLevel DefaultLogLevel = LogLevel.Information;

    public static async Task<WebApplication> CreateAsync(
        ServeSettings settings, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        // Content comes from the install folder, whatever the current folder is (it holds the default database).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (settings.Urls is not null)
        {
            builder.WebHost.UseUrls(settings.Urls);
        }

        builder.Logging.SetMinimumLevel(settings.LogLevel);
        // ASP.NET Core logs every request several times at Information and Debug; RequestLog writes one line at Debug
        // instead. Its detail shows only when asked for with Trace.
        LogLevel AtLeast(LogLevel floor) => (LogLevel)Math.Max((int)settings.LogLevel, (int)floor);
        var framework = settings.LogLevel == LogLevel.Trace ? LogLevel.Trace : AtLeast(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", framework);
        builder.Logging.AddFilter("System", framework);
        // serve and demo print the address themselves; the host's own start-up lines would only repeat it.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", AtLeast(LogLevel.Warning));
        // A port in use or a bad --urls is reported by serve and demo as one line; the host's own stack trace would bury it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", AtLeast(LogLevel.Critical));
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", AtLeast(LogLevel.Warning));
        // Whatever is logged, at any level and by any category, leaves with the secrets in its URLs redacted.
        builder.Logging.AddRedaction();
        var store = await EventStoreFactory.OpenAsync(settings.Database, cancellationToken);
        builder.Services.AddSingleton(_ => store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddStorageFailureAnswers();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)));
        builder.Services.AddOpenApi();
        builder.Services.AddIntake();
        builder.Services.AddModelReload(settings);
        builder.Services.AddHooks();
        builder.Services.AddTimeline();
        builder.Services.AddPages();
        builder.Services.AddReleaseHealth();
        builder.Services.AddDiagnostics();
        builder.Services.AddAccess(settings.Access ?? new AccessSettings());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseRequestLog();
        app.UseSecurityHeaders();
        app.UseStorageFailureAnswers(); // before access: checking a token reads the database
        app.UsePageAssets(); // before access: the sign-in page needs its stylesheet
        app.UseAccess();
        app.MapOpenApi();
        app.MapSignInEndpoints();
        app.MapAuditEndpoints();
        app.MapHealthEndpoints();
        app.MapEventEndpoints();
        app.MapHookEndpoints();
        app.MapOtlpEndpoints();
        app.MapChangeEndpoints();
        app.MapReleaseEndpoints();
        app.MapBoardEndpoints();
        app.MapMetricsEndpoints();
        app.MapDiagnosticsEndpoints();
        app.MapModelEndpoints();
        app.MapModelVersionEndpoints();
        app.MapPages();
        app.MapInsightPages();
        app.MapFlowPages();
        app.MapDiagnosticsPages();
        app.MapDocsPages();
        return app;
    }
}
