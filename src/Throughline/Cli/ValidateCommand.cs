using System.CommandLine;

namespace Throughline.Cli;

internal static class ValidateCommand
{
    public static Command Create(Console console)
    {
        var file = new Argument<string>("FILE") { Description = "The operating model to check (throughline.yaml)." };
        var command = new Command(
            "validate",
            "Check an operating model and print every problem as FILE:LINE:COLUMN: error: WHAT. Exit 0 when valid, 1 when not.")
        {
            file,
        };
        command.SetAction(async (parsed, _) =>
        {
            var path = parsed.GetValue(file)!;
            var valid = await ModelOutput.CheckAsync(console, path, SecretUse.Checked);
            if (valid)
            {
                await console.Output.WriteLineAsync($"{path}: valid");
            }

            return valid ? ExitCodes.Success : ExitCodes.InvalidInput;
        });
        return command;
    }
}
