using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Throughline.Health;

/// <summary>Reads Prometheus' answer to an instant query (<c>status</c>, <c>data.resultType</c>, <c>data.result</c>) as one measurement.</summary>
/// <remarks>What each answer becomes is stated on <see cref="PrometheusClient"/>.</remarks>
internal static class PrometheusAnswer
{
    /// <summary>How much of a text from Prometheus (an error, a query, a body) a reason repeats.</summary>
    private const int Quoted = 300;

    /// <summary>The measurement at <paramref name="at"/> that <paramref name="body"/> holds.</summary>
    /// <param name="at">The instant the query was evaluated at.</param>
    /// <param name="shown">The URL asked, as reasons name it.</param>
    /// <param name="query">The query asked, for the reason when it found nothing.</param>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="body">The answer's bytes.</param>
    public static Measurement Read(DateTimeOffset at, string shown, string query, HttpStatusCode status, byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Measurement.Failed(at, $"Prometheus at {shown} answered {Code(status)} with no JSON: {Excerpt(body)}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (Text(root, "status") == "error")
            {
                return Measurement.Failed(at, $"Prometheus at {shown} answered an error ({Text(root, "errorType") ?? "no type"}): {Cut(Text(root, "error") ?? "no reason given")}");
            }

            if ((int)status is < 200 or > 299 || Text(root, "status") != "success"
                || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("result", out var result))
            {
                return Measurement.Failed(at, $"Prometheus at {shown} answered {Code(status)} with no query result: {Excerpt(body)}");
            }

            return Text(data, "resultType") switch
            {
                "vector" => Vector(at, shown, query, result),
                "scalar" => Sample(at, shown, result),
                "matrix" => Measurement.Failed(at, $"Prometheus at {shown} returned a range vector (matrix) for the query; a rule needs one number: "
                    + "use an instant vector, such as rate(x[5m]) rather than x[5m]"),
                var type => Measurement.Failed(at, $"Prometheus at {shown} returned a {type ?? "result of no type"} for the query, not a number"),
            };
        }
    }

    private static Measurement Vector(DateTimeOffset at, string shown, string query, JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            return Measurement.Failed(at, $"Prometheus at {shown} returned a vector that is not a list");
        }

        var count = result.GetArrayLength();
        if (count == 0)
        {
            return Measurement.Empty(at, $"Prometheus at {shown} returned no series for {Cut(query)}");
        }

        if (count > 1)
        {
            var named = string.Join(", ", result.EnumerateArray().Take(2).Select(Labels)) + (count > 2 ? ", ..." : "");
            return Measurement.Failed(at, $"Prometheus at {shown} returned {count} series for the query ({named}); a rule needs one number: "
                + "aggregate it with sum() or max()");
        }

        var series = result[0];
        return series.ValueKind == JsonValueKind.Object && series.TryGetProperty("value", out var sample)
            ? Sample(at, shown, sample)
            : Measurement.Failed(at, $"Prometheus at {shown} returned a series without a plain value ({Labels(series)}: a native histogram?); "
                + "use histogram_quantile() or histogram_count()");
    }

    /// <summary>A sample, <c>[unix seconds, "value"]</c>: Prometheus writes the value as text, <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c> included.</summary>
    private static Measurement Sample(DateTimeOffset at, string shown, JsonElement sample)
    {
        var text = sample.ValueKind == JsonValueKind.Array && sample.GetArrayLength() == 2 && sample[1].ValueKind == JsonValueKind.String
            ? sample[1].GetString()!
            : null;
        if (text is "+Inf" or "-Inf" or "Inf")
        {
            return Measurement.Empty(at, $"Prometheus at {shown} returned {text} for the query");
        }

        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return Measurement.Failed(at, $"Prometheus at {shown} returned a sample that is not a number: {Cut(sample.GetRawText())}");
        }

        return double.IsFinite(value)
            ? Measurement.Of(at, value)
            : Measurement.Empty(at, $"Prometheus at {shown} returned {text} for the query (0/0, as a ratio is when nothing was counted)");
    }

    /// <summary>A series' labels as PromQL writes them: <c>http_requests_total{code="500", service="payments"}</c>.</summary>
    private static string Labels(JsonElement series)
    {
        if (series.ValueKind != JsonValueKind.Object || !series.TryGetProperty("metric", out var metric) || metric.ValueKind != JsonValueKind.Object)
        {
            return "{}";
        }

        var labels = metric.EnumerateObject().Where(l => l.Name != "__name__").Select(l => $"{l.Name}=\"{l.Value}\"");
        return Cut(Text(metric, "__name__") + "{" + string.Join(", ", labels) + "}");
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Code(HttpStatusCode status) => $"HTTP {(int)status}";

    private static string Excerpt(byte[] body) =>
        body.Length == 0 ? "an empty body" : Cut(string.Join(' ', Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, Quoted * 4)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

    private static string Cut(string text) => text.Length <= Quoted ? text : text[..Quoted] + "...";
}
