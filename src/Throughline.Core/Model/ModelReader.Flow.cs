using Throughline.Model.Yaml;

namespace Throughline.Model;

internal sealed partial class ModelReader
{
    private static readonly string[] StageKeys = ["id", "name", "owner", "tool", "automated", "starts", "ends", "checks"];

    private List<FlowStage> ReadFlow(YamlMapping root)
    {
        // Optional: a model without a flow still gives DORA metrics and timelines, only no stages.
        var node = root.Get("flow");
        if (node is null)
        {
            return [];
        }

        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        var stages = new List<FlowStage>();
        foreach (var item in Items(node, "flow"))
        {
            var id = Id(item, "stage", seen);
            var context = $"stage '{id}'";
            CheckKeys(item, context, StageKeys);
            UnusedStageKeys(item, context);
            var name = Text(item, "name", context)?.Value;
            var ownerNode = Text(item, "owner", context, "<team id> | service-owner | responsibilities.<name>");
            var owner = ownerNode is null ? null : Owner(ownerNode, context);
            var tool = Text(item, "tool", context);
            if (tool is not null)
            {
                Refer(tool, ReferenceKind.Tool, context);
            }

            var automated = Bool(item, "automated", context);
            var starts = Matcher(item, "starts", context, required: false, tool);
            var ends = Matcher(item, "ends", context, required: true, tool);
            var checks = TextList(item, "checks", context);
            if (id is not null && owner is not null && ends is not null)
            {
                stages.Add(new FlowStage(id, name, owner, tool?.Value, automated, starts, ends, checks));
            }
        }

        return stages;
    }

    /// <summary>Parses an owner: a team id, <c>service-owner</c>, or <c>responsibilities.NAME</c>, remembering what to check.</summary>
    private StageOwner Owner(YamlScalar node, string context)
    {
        if (node.Value == OperatingModel.ServiceOwnerKeyword)
        {
            return new StageOwner(StageOwnerKind.ServiceOwner, "");
        }

        if (node.Value.StartsWith(OperatingModel.ResponsibilityPrefix, StringComparison.Ordinal))
        {
            var name = node.Value[OperatingModel.ResponsibilityPrefix.Length..];
            Refer(node, ReferenceKind.Responsibility, context, name, TextOffset(node, OperatingModel.ResponsibilityPrefix.Length));
            return new StageOwner(StageOwnerKind.Responsibility, name);
        }

        Refer(node, ReferenceKind.Team, context);
        return new StageOwner(StageOwnerKind.Team, node.Value);
    }

    private EventMatcher? Matcher(YamlMapping item, string key, string context, bool required, YamlScalar? tool)
    {
        var node = required
            ? Text(item, key, context, "subject.predicate [key=value ...]")
            : Text(item, key, context);
        if (node is null)
        {
            return null;
        }

        if (EventMatcher.TryParse(node.Value, out var matcher, out var error, out var offset))
        {
            if (!CheckVocabulary(node, matcher!, key, context))
            {
                return null;
            }

            CheckToolSends(tool, matcher!, key, context);
            return matcher;
        }

        // The matcher's message is "WHAT (expected ...)": say where before the parenthesis.
        var where = error!.IndexOf(" (", StringComparison.Ordinal);
        Add(node, ProblemSeverity.Error, error.Insert(where < 0 ? error.Length : where, $" in '{key}' of {context}"), TextOffset(node, offset));
        return null;
    }

    /// <summary>The column offset of a character of a scalar's text; quoted scalars start one column before their text.</summary>
    private static int TextOffset(YamlScalar node, int offset) => offset + (node.IsPlain ? 0 : 1);
}
