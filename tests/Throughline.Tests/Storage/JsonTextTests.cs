using System.Text;
using Throughline.Storage;

namespace Throughline.Tests.Storage;

public sealed class JsonTextTests
{
    private static JsonTextProblem? Check(string json, bool duplicates = true) => JsonText.Check(Encoding.UTF8.GetBytes(json), duplicates);

    [Theory]
    [InlineData("""{"a":"caf\u00e9 \ud83d\ude00","b":["x"],"c":{"a":1},"d":[{"a":1},{"a":2}]}""")]
    [InlineData("""[{"id":1},{"id":1}]""")]
    [InlineData("""{"i\u0064":1,"idx":2}""")]
    [InlineData("42")]
    public void Check_ReadableJson_NoProblem(string json) => Assert.Null(Check(json));

    [Theory]
    [InlineData("""{"a":{"b":["x","\ud800"]}}""", "a.b[1]")]
    [InlineData("""{"a":"\udc00 low first"}""", "a")]
    [InlineData("""{"a":"\ud800\u0041 high then not low"}""", "a")]
    [InlineData("""[1,{"a":[{"x":"\uDBFF"}]}]""", "[1].a[0].x")]
    [InlineData("""{"ctx":{"\ud800":1}}""", "ctx")]
    public void Check_LoneSurrogateEscape_UnicodeFaultAtItsPath(string json, string path)
    {
        var problem = Check(json);

        Assert.Equal(JsonTextFault.Unicode, problem?.Fault);
        Assert.Equal(path, problem!.Path);
        Assert.Contains("lone surrogate", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InvalidUtf8InAString_UnicodeFault()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"subject":{"id":"caf__"}}""");
        bytes[Array.IndexOf(bytes, (byte)'_')] = 0xC3;

        var problem = JsonText.Check(bytes, refuseDuplicateNames: false);

        Assert.Equal((JsonTextFault.Unicode, "subject.id"), (problem?.Fault, problem?.Path));
    }

    [Theory]
    [InlineData("""{"context":{"id":"a","source":"s","id":"b"}}""", "context.id", "'id'")]
    [InlineData("""{"context":{"id":"a","i\u0064":"b"}}""", "context.id", "'id'")]
    [InlineData("""{"subject":{},"subject":{}}""", "subject", "'subject'")]
    [InlineData("""[{"a":1},{"b":1,"b":2}]""", "[1].b", "'b'")]
    public void Check_RepeatedKey_DuplicateFaultNamingTheKey(string json, string path, string key)
    {
        var problem = Check(json);

        Assert.Equal((JsonTextFault.DuplicateName, path), (problem?.Fault, problem?.Path));
        Assert.Contains(key, problem!.Reason, StringComparison.Ordinal);
        Assert.Null(Check(json, duplicates: false));
    }

    [Fact]
    public void Check_RepeatedKeyInAnObjectOfManyKeys_Found()
    {
        var keys = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"k{i}\":{i}"));

        var problem = Check($"{{\"big\":{{{keys},\"k4321\":0}}}}");
        var fine = Check($"{{\"big\":{{{keys}}},\"k1\":{{\"k1\":1}}}}");

        Assert.Equal((JsonTextFault.DuplicateName, "big.k4321"), (problem?.Fault, problem?.Path));
        Assert.Null(fine);
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("")]
    [InlineData("{} {}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":\"tab\tinside\"}")]
    public void Check_NotJson_SyntaxFault(string json) => Assert.Equal(JsonTextFault.Syntax, Check(json)?.Fault);

    [Fact]
    public void Check_DeeperThanTheLimit_SyntaxFault()
    {
        var fits = new string('[', JsonText.MaxDepth) + new string(']', JsonText.MaxDepth);
        var deeper = new string('[', JsonText.MaxDepth + 1) + new string(']', JsonText.MaxDepth + 1);

        Assert.Null(Check(fits));
        Assert.Contains("depth", Check(deeper)?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StoredText_SameVerdictAsItsUtf8()
    {
        const string Json = """{"a":"\ud800"}""";

        Assert.Equal(Check(Json, duplicates: false), JsonText.Check(Json));
        Assert.Null(JsonText.Check("""{"a":"ok","a":"twice is readable"}"""));
    }
}
