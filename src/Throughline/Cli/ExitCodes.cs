namespace Throughline.Cli;

/// <summary>What every verb returns to the shell.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int InvalidInput = 1;
    public const int Usage = 2;
}
