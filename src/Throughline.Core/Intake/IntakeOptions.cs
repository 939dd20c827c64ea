namespace Throughline.Intake;

/// <summary>Settings of event intake, bound from the <c>Intake</c> configuration section.</summary>
public sealed class IntakeOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Intake";

    /// <summary>Largest request body accepted, in bytes; larger requests get 413 and store nothing. Default 10 MiB.</summary>
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;
}
