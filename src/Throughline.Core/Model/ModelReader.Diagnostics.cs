using System.Globalization;
using Throughline.Model.Yaml;

namespace Throughline.Model;

internal sealed partial class ModelReader
{
    private static readonly string[] DiagnosticsKeys = ["thresholds"];

    private DiagnosticsSettings ReadDiagnostics(YamlNode? node)
    {
        if (node is null or YamlScalar { IsNull: true } || Mapping(node, "'diagnostics'") is not { } diagnostics)
        {
            return DiagnosticsSettings.Default;
        }

        CheckKeys(diagnostics, "'diagnostics'", DiagnosticsKeys);
        if (diagnostics.Get("thresholds") is not { } thresholdsNode || thresholdsNode is YamlScalar { IsNull: true }
            || Mapping(thresholdsNode, "'thresholds' in 'diagnostics'") is not { } thresholds)
        {
            return DiagnosticsSettings.Default;
        }

        const string context = "'diagnostics.thresholds'";
        var definitions = DiagnosticsSettings.Definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        CheckKeys(thresholds, context, definitions.Keys);
        var read = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, _) in thresholds.Entries)
        {
            if (definitions.TryGetValue(key.Value, out var definition) && Text(thresholds, key.Value, context) is { } value
                && Threshold(value, definition, context) is { } threshold)
            {
                read[key.Value] = threshold;
            }
        }

        return new DiagnosticsSettings(read);
    }

    /// <summary>A threshold in its sign's unit, or null (and an error naming the key and what to write) when it is not one.</summary>
    private double? Threshold(YamlScalar value, ThresholdDefinition definition, string context)
    {
        var text = value.Value;
        switch (definition.Kind)
        {
            case ThresholdKind.Share when double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var share) && share <= 1:
                return share;
            case ThresholdKind.Count or ThresholdKind.People
                when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= (definition.Kind == ThresholdKind.People ? 1 : 0):
                return number;
            case ThresholdKind.Days when Durations.Parse(text) is { } duration:
                return duration.TotalDays;
        }

        var expected = definition.Kind switch
        {
            ThresholdKind.Share => "a share from 0 to 1, such as 0.1 for 10 %",
            ThresholdKind.Count => "a whole number, 0 or more",
            ThresholdKind.People => "a whole number of people, 1 or more",
            _ => Durations.Expected,
        };
        Error(value, $"invalid threshold '{text}' for '{definition.Id}' in {context} (expected {expected}; the default is {Format(definition)})");
        return null;
    }

    private static string Format(ThresholdDefinition definition) => definition.Kind == ThresholdKind.Days
        ? Durations.Format(TimeSpan.FromDays(definition.Default))
        : definition.Default.ToString(CultureInfo.InvariantCulture);
}
