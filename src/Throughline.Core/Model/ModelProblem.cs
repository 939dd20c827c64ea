namespace Throughline.Model;

/// <summary>How serious a problem found in an operating model file is.</summary>
public enum ProblemSeverity
{
    /// <summary>The model cannot be used.</summary>
    Error,

    /// <summary>The model can be used, but something is likely wrong (for example an unset secret variable).</summary>
    Warning,
}

/// <summary>One problem found in an operating model file, located by line and column.</summary>
/// <remarks>Line and column are 1-based, as editors and compilers print them.</remarks>
public sealed record ModelProblem(string File, int Line, int Column, ProblemSeverity Severity, string Message)
{
    /// <summary>The problem as one line: <c>FILE:LINE:COLUMN: error: WHAT</c>.</summary>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Severity == ProblemSeverity.Error ? "error" : "warning")}: {Message}";
}
