using System.Data.Common;

namespace Throughline.Cli;

/// <summary>Turns a database that cannot be opened into one clear line instead of a stack trace.</summary>
internal static class DatabaseErrors
{
    public static async Task<T?> TryAsync<T>(Console console, string database, Func<Task<T>> open)
        where T : class
    {
        try
        {
            return await open();
        }
        catch (Exception exception) when (exception is DbException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            await console.Error.WriteLineAsync($"throughline: cannot open the database '{Redact(database)}': {exception.Message}");
            return null;
        }
    }

    /// <summary>The database value with any password hidden, for messages.</summary>
    public static string Redact(string database) =>
        System.Text.RegularExpressions.Regex.Replace(
            database, "(password|pwd)=[^;]*|(://[^:/@]+:)[^@]*@", m => m.Groups[2].Success ? m.Groups[2].Value + "***@" : m.Value.Split('=')[0] + "=***",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
}
