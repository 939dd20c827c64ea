using System.CommandLine;
using System.Text.Json;

namespace Throughline.Cli;

/// <summary><c>throughline rollback SERVICE</c>: confirms the rollback of a service's failed production deployment on a running server.</summary>
internal static class RollbackCommand
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(Console console)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service whose latest production deployment failed." };
        var server = new Option<string>("--server")
        {
            Description = "Base address of the running Throughline server, for example http://localhost:5000.",
            HelpName = "URL",
            Required = true,
        };
        var environment = new Option<string?>("--environment")
        {
            Description = "The production environment (default: the model's first production environment).",
            HelpName = "ENVIRONMENT",
        };
        var to = new Option<string?>("--to")
        {
            Description = "The artifact to roll back to (default: the one that ran before the failed deployment).",
            HelpName = "ARTIFACT",
        };
        var token = new Option<string?>("--token")
        {
            Description = $"An editor token named after a person holding the service's rollback, or an admin token (default: the {EmitCommand.TokenVariable} environment variable).",
            HelpName = "TOKEN",
        };
        var command = new Command("rollback", "Confirm the rollback of a service's failed production deployment: the server calls the model's rollback action, and the deployment tool's own event closes it.")
        {
            service, server, environment, to, token,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            console, parsed.GetValue(server)!, parsed.GetValue(service)!, parsed.GetValue(environment), parsed.GetValue(to),
            parsed.GetValue(token) ?? Environment.GetEnvironmentVariable(EmitCommand.TokenVariable), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Console console, string serverText, string service, string? environment, string? to, string? token, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(serverText.EndsWith('/') ? serverText : serverText + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            await console.Error.WriteLineAsync($"throughline rollback: --server '{serverText}' must be an http:// or https:// address.");
            return ExitCodes.Usage;
        }

        using var http = new HttpClient { BaseAddress = server, Timeout = RequestTimeout };
        if (!string.IsNullOrWhiteSpace(token))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
        }

        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync("api/rollbacks", new { service, environment, to }, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            await console.Error.WriteLineAsync($"throughline rollback: cannot reach {server}: {exception.Message}");
            return ExitCodes.InvalidInput;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var detail = TryRead(body, "detail") ?? body;
                await console.Error.WriteLineAsync($"throughline rollback: {server} answered {(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
                return ExitCodes.InvalidInput;
            }

            using var answer = JsonDocument.Parse(body);
            var deployment = answer.RootElement.GetProperty("deployment");
            await console.Output.WriteLineAsync(
                $"Rollback of {service} {answer.RootElement.GetProperty("outcome").GetString()}: {answer.RootElement.GetProperty("detail").GetString()}.");
            await console.Output.WriteLineAsync($"Deployment {deployment.GetProperty("id").GetString()}: {new Uri(server, deployment.GetProperty("page").GetString()!.TrimStart('/'))}");
            return ExitCodes.Success;
        }
    }

    private static string? TryRead(string json, string property)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty(property, out var value) ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
