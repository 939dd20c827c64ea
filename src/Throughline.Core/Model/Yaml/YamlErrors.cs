using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Throughline.Model.Yaml;

internal static partial class YamlErrors
{
    /// <summary>YamlDotNet's message without the "(Line: 3, Col: 5, Idx: 20) - (...): " prefix, which the problem already carries.</summary>
    public static string Describe(YamlException exception) =>
        $"YAML syntax error: {LocationPrefix().Replace(exception.Message, "").Trim()}";

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();
}
