using System.CommandLine;
using System.Text.Json;

namespace Throughline.Cli;

/// <summary><c>probe</c>: asks a running server whether it is ready (<c>GET /healthz</c>), for container health checks.</summary>
internal static class ProbeCommand
{
    public const string DefaultUrl = "http://localhost:5000/healthz";

    public static Command Create(Console console)
    {
        var url = new Option<string>("--url")
        {
            Description = $"The server's readiness address (default {DefaultUrl}).",
            HelpName = "URL",
            DefaultValueFactory = _ => DefaultUrl,
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the answer (default 5).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 5,
        };
        var command = new Command("probe", "Ask a running server whether it is ready (GET /healthz): exit 0 when it is, 1 when not or unreachable. " +
            "Made for health checks where no curl is installed, such as the container image's.") { url, timeout };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var seconds = parsed.GetValue(timeout);
            if (!Uri.TryCreate(parsed.GetValue(url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https") || seconds < 1)
            {
                await console.Error.WriteLineAsync($"throughline probe: --url must be an http(s) address and --timeout 1 or more, for example --url {DefaultUrl}.");
                return ExitCodes.Usage;
            }

            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(seconds) };
            try
            {
                using var response = await client.GetAsync(address, cancellationToken);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    await console.Output.WriteLineAsync($"ready: {address} answered {(int)response.StatusCode}");
                    return ExitCodes.Success;
                }

                await console.Error.WriteLineAsync($"not ready: {address} answered {(int)response.StatusCode}{ProblemOf(answer)}");
                return ExitCodes.InvalidInput;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync($"not ready: {address} did not answer ({exception.Message})");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    /// <summary>The <c>problem</c> a <c>/healthz</c> answer gives, as ": PROBLEM"; empty when it gives none.</summary>
    private static string ProblemOf(string answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("problem", out var problem)
                && problem.ValueKind == JsonValueKind.String ? $": {problem.GetString()}" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
