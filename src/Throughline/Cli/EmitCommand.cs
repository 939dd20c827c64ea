using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Throughline.Cli;

internal static class EmitCommand
{
    private const int BatchSize = 1000;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    public static Command Create(Console console)
    {
        var server = new Option<string>("--server")
        {
            Description = "Base address of a running Throughline server, for example http://localhost:5000.",
            HelpName = "URL",
            Required = true,
        };
        var files = new Argument<string[]>("FILE")
        {
            Description = "CDEvents as one JSON object, a JSON array, or JSON lines; '-' reads standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var token = new Option<string?>("--token")
        {
            Description = $"An ingest (or admin) token to send as 'Authorization: Bearer' (default: the {TokenVariable} environment variable).",
            HelpName = "TOKEN",
        };
        var command = new Command("emit", "Send CDEvents from files to a running server's POST /api/events, in batches of 1,000.")
        {
            server, token, files,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            console, parsed.GetValue(server)!, parsed.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenVariable), parsed.GetValue(files)!, cancellationToken));
        return command;
    }

    /// <summary>Where <c>emit</c> looks for its token when <c>--token</c> is not given (so it stays out of shell history).</summary>
    public const string TokenVariable = "THROUGHLINE_TOKEN";

    private static async Task<int> RunAsync(Console console, string serverText, string? token, string[] names, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(serverText.EndsWith('/') ? serverText : serverText + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            await console.Error.WriteLineAsync($"throughline emit: --server '{serverText}' must be an http:// or https:// address.");
            return ExitCodes.Usage;
        }

        await using var files = await EventFiles.OpenAsync(names, console, cancellationToken);
        if (files is null || await files.CheckAsync(console, cancellationToken) is not { } total)
        {
            return ExitCodes.InvalidInput;
        }

        using var http = new HttpClient { BaseAddress = server, Timeout = RequestTimeout };
        if (!string.IsNullOrWhiteSpace(token))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
        }

        var progress = new ProgressLine(console, "emit", total);
        long sent = 0, accepted = 0, duplicates = 0;
        await foreach (var batch in files.BatchesAsync(BatchSize, cancellationToken))
        {
            var body = new StringBuilder("[");
            body.AppendJoin(',', batch.Select(e => e.Payload)).Append(']');
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync("api/events", new StringContent(body.ToString(), Encoding.UTF8, "application/json"), cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                await console.Error.WriteLineAsync($"throughline emit: cannot reach {server}: {exception.Message} ({sent:N0} events sent before).");
                return ExitCodes.InvalidInput;
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    await console.Error.WriteLineAsync(
                        $"throughline emit: {server} answered {(int)response.StatusCode} {response.ReasonPhrase}: " +
                        $"{await response.Content.ReadAsStringAsync(cancellationToken)} ({sent:N0} events sent before).");
                    return ExitCodes.InvalidInput;
                }

                var counts = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                accepted += counts.GetProperty("accepted").GetInt32();
                duplicates += counts.GetProperty("duplicates").GetInt32();
            }

            sent += batch.Count;
            await progress.ReportAsync(sent);
        }

        await console.Output.WriteLineAsync(
            $"Sent {sent:N0} events to {server}: {accepted:N0} stored, {duplicates:N0} duplicates, in {progress.Elapsed.TotalSeconds:F1} s.");
        return ExitCodes.Success;
    }
}
