using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Throughline.Cli;

/// <summary>Starts the web app for <c>serve</c> and <c>demo</c>, turning a port that cannot be used into one clear line.</summary>
internal static class Listening
{
    /// <summary>The addresses listened on, or null after printing why the server could not start.</summary>
    public static async Task<IReadOnlyList<string>?> StartAsync(WebApplication app, Console console, string? urls, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException exception)
        {
            await console.Error.WriteLineAsync(
                $"throughline: cannot listen on {urls ?? "the default address"}: {exception.Message} Choose another with --urls, for example --urls http://127.0.0.1:5080.");
            return null;
        }
        catch (FormatException exception)
        {
            await console.Error.WriteLineAsync(
                $"throughline: --urls '{urls}' is not an address to listen on ({exception.Message}); expected for example http://127.0.0.1:5080.");
            return null;
        }

        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
    }
}
