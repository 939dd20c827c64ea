using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Throughline.Web;

/// <summary>Every log line, whoever writes it (ours, ASP.NET's hosting and routing, Kestrel, the sign-in handler), leaves
/// the process with the secrets in its URLs redacted by <see cref="UrlRedaction"/>.</summary>
/// <remarks>
/// <para>Tokens travel in query strings (<c>/hooks/jenkins?token=</c>, Jira's, <c>/sign-in?token=</c>), and ASP.NET writes the
/// whole URL at Trace ("Request starting ... ?token=..."), as exceptions may in their messages. Redacting at the logger
/// factory covers every category and every provider at once; the categories cannot each be trusted to leave queries out.</para>
/// <para>A line is formatted and redacted only once its level is enabled, so lines filtered out cost nothing more. The
/// logged state becomes the redacted text (a structured provider sees the text, not the original values), and an
/// exception is written into the text, redacted, instead of being passed on.</para>
/// </remarks>
internal static class LogRedaction
{
    /// <summary>Replaces the logger factory with one whose loggers redact, over the same providers and filters.</summary>
    public static ILoggingBuilder AddRedaction(this ILoggingBuilder logging)
    {
        logging.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(services => new RedactingLoggerFactory(new LoggerFactory(
            services.GetServices<ILoggerProvider>(),
            services.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            services.GetService<IOptions<LoggerFactoryOptions>>(),
            services.GetService<IExternalScopeProvider>()))));
        return logging;
    }

    /// <summary>The text a line is written as: its message and any exception, redacted.</summary>
    internal static string Redacted<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        return UrlRedaction.RedactText(exception is null ? message : message + Environment.NewLine + exception);
    }

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, Redacted(state, exception, formatter), null, static (text, _) => text);
            }
        }
    }
}
