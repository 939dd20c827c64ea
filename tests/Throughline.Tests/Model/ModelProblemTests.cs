using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed class ModelProblemTests
{
    [Fact]
    public void Problem_ToString_IsOneLocatedLine()
    {
        var problem = new ModelProblem("m.yaml", 3, 5, ProblemSeverity.Error, "unknown key");

        Assert.Equal("m.yaml:3:5: error: unknown key", problem.ToString());
    }
}
