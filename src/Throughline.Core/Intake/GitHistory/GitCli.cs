using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Throughline.Intake.GitHistory;

/// <summary>Runs the git command line on a local repository and streams what it prints.</summary>
/// <remarks>
/// One process per question (the commit graph, the first-parent line, the tags), never one per commit, so reading
/// 10,000 commits costs three processes. Output is read as UTF-8 while git writes it; its error stream is collected
/// on the side so neither pipe can fill and stall git.
/// </remarks>
internal static class GitCli
{
    /// <summary>Each record git prints, split at <paramref name="separator"/> (a newline, or NUL with <c>-z</c>).</summary>
    /// <exception cref="GitException">git is missing, or it exited with an error (its message included).</exception>
    public static async IAsyncEnumerable<string> RecordsAsync(
        string repository, IReadOnlyList<string> arguments, char separator,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repository);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Never ask for a password or open a pager: the import reads a local repository and nothing else.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_PAGER"] = "cat";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new GitException($"cannot run git: {exception.Message}");
        }

        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            var record = new StringBuilder();
            var buffer = new char[16 * 1024];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer, cancellationToken)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] == separator)
                    {
                        yield return record.ToString();
                        record.Clear();
                    }
                    else
                    {
                        record.Append(buffer[i]);
                    }
                }
            }

            if (record.Length > 0)
            {
                yield return record.ToString();
            }

            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                var message = (await errors).Trim();
                throw new GitException(message.Length > 0 ? message.Split('\n')[0] : $"git {arguments[0]} exited with {process.ExitCode}");
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}

/// <summary>git could not answer: not installed, not a repository, an unknown branch. The message is git's own first line.</summary>
internal sealed class GitException(string message) : Exception(message);
