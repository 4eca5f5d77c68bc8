using System.Text;

namespace Letterbox.Commands;

/// <summary>Reads a password from standard input (<c>--password-stdin</c>) or a terminal prompt without echo.</summary>
internal static class PasswordInput
{
    /// <summary>Returns the password, or null (with a message on stderr) when none can be read.</summary>
    public static async Task<string?> ReadAsync(bool fromStdin)
    {
        if (fromStdin)
        {
            var line = await Console.In.ReadLineAsync();
            if (string.IsNullOrEmpty(line))
            {
                await Console.Error.WriteLineAsync("No password on standard input.");
                return null;
            }
            return line;
        }
        if (Console.IsInputRedirected)
        {
            await Console.Error.WriteLineAsync("Standard input is not a terminal: pass --password-stdin and pipe the password.");
            return null;
        }
        var first = Prompt("Password: ");
        var second = Prompt("Repeat password: ");
        if (first != second)
        {
            await Console.Error.WriteLineAsync("The passwords do not match.");
            return null;
        }
        if (first.Length == 0)
        {
            await Console.Error.WriteLineAsync("The password is empty.");
            return null;
        }
        return first;
    }

    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var builder = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return builder.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (builder.Length > 0)
                {
                    builder.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                builder.Append(key.KeyChar);
            }
        }
    }
}
