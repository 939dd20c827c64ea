using System.Net.Http.Headers;
using System.Text;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>Sends every request of docs/http/*.http to a real server, so the documented examples keep working.</summary>
public sealed class HttpExamplesTests
{
    private sealed record ExampleRequest(string File, string Title, HttpMethod Method, string Path, IReadOnlyList<(string Name, string Value)> Headers, string Body);

    private static IEnumerable<ExampleRequest> Parse(string file)
    {
        var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (var block in text.Split("###").Skip(1))
        {
            var lines = block.Split('\n');
            var title = lines[0].Trim();
            var rest = lines.Skip(1).SkipWhile(string.IsNullOrWhiteSpace).ToList();
            var requestLine = rest[0].Split(' ', 2);
            var headers = rest.Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Split(':', 2)).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
            var body = string.Join('\n', rest.Skip(1 + headers.Count)).Trim();
            yield return new ExampleRequest(Path.GetFileName(file), title, new HttpMethod(requestLine[0]), requestLine[1].Replace("{{base}}", "", StringComparison.Ordinal), headers, body);
        }
    }

    [Fact]
    public async Task EveryDocumentedRequest_Succeeds()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        // docs/http/hooks.http assumes the documented example model with every secret and token set to "change-me".
        var model = Throughline.Model.OperatingModelLoader.LoadFile(
            RepositoryFiles.PathOf("docs/examples/throughline.yaml"), new Throughline.Model.ModelLoadOptions { GetEnvironmentVariable = _ => "change-me" });
        Assert.True(model.IsValid, string.Join("\n", model.Problems));
        await using var server = await RunningServer.StartAsync(database.Database, model: model.Model);
        using var anonymous = server.ClientWith(null);
        var examples = Directory.GetFiles(RepositoryFiles.PathOf("docs/http"), "*.http").Order(StringComparer.Ordinal).SelectMany(Parse).ToList();

        var failures = new List<string>();
        var caughtUp = false;
        foreach (var example in examples.OrderBy(e => e.Method == HttpMethod.Post ? 0 : 1))
        {
            // The reads are of what the posts stored: they wait until the timeline has read it.
            if (example.Method != HttpMethod.Post && !caughtUp)
            {
                await TimelineCatchUp.AwaitAsync(server);
                caughtUp = true;
            }

            using var request = new HttpRequestMessage(example.Method, example.Path);
            if (example.Body.Length > 0)
            {
                request.Content = new StringContent(example.Body, Encoding.UTF8);
                request.Content.Headers.ContentType = null;
            }

            foreach (var (name, value) in example.Headers)
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
                }
                else
                {
                    request.Headers.Add(name, value.Replace("{{token}}", server.AdminToken, StringComparison.Ordinal));
                }
            }

            // Only what the example sends: the documented Authorization header, or a hook's own credentials.
            using var response = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{example.File} '{example.Title}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            }
        }

        Assert.True(examples.Count >= 9, $"only {examples.Count} examples found");
        Assert.Empty(failures);
    }
}
