using System.CommandLine;
using Letterbox.Mail.Store;
using Letterbox.Mail.Users;

namespace Letterbox.Commands;

/// <summary><c>letterbox user add|list|passwd|delete</c>: manages accounts in the data directory.</summary>
internal static class UserCommand
{
    public static Command Create() => new("user", "Manage user accounts.")
    {
        CreateAdd(),
        CreateList(),
        CreatePasswd(),
        CreateDelete(),
    };

    private static Option<bool> PasswordStdin() => new("--password-stdin") { Description = "Read the password from the first line of standard input." };

    private static Command CreateAdd()
    {
        var name = new Argument<string>("NAME") { Description = "User name (also the login name)." };
        var stdin = PasswordStdin();
        var command = new Command("add", "Add a user with INBOX and the default special-use mailboxes.") { name, stdin };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var password = await PasswordInput.ReadAsync(parseResult.GetValue(stdin));
            if (password is null)
            {
                return 1;
            }
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken);
            try
            {
                var user = await store.AddUserAsync(parseResult.GetValue(name)!, PasswordHasher.Hash(password), cancellationToken);
                await store.SetScramSecretAsync(user.Id, ScramSecret.Create(password).ToString(), cancellationToken);
                Console.WriteLine($"Added user '{user.Name}'.");
                return 0;
            }
            catch (MailStoreException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static Command CreateList()
    {
        var command = new Command("list", "List users.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken);
            foreach (var user in await store.ListUsersAsync(cancellationToken))
            {
                Console.WriteLine(user.Name);
            }
            return 0;
        });
        return command;
    }

    private static Command CreatePasswd()
    {
        var name = new Argument<string>("NAME") { Description = "User name." };
        var stdin = PasswordStdin();
        var command = new Command("passwd", "Set a user's password.") { name, stdin };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken);
            var user = await FindAsync(store, parseResult.GetValue(name)!, cancellationToken);
            if (user is null)
            {
                return 1;
            }
            var password = await PasswordInput.ReadAsync(parseResult.GetValue(stdin));
            if (password is null)
            {
                return 1;
            }
            await store.SetPasswordHashAsync(user.Id, PasswordHasher.Hash(password), cancellationToken);
            await store.SetScramSecretAsync(user.Id, ScramSecret.Create(password).ToString(), cancellationToken);
            Console.WriteLine($"Password of '{user.Name}' changed.");
            return 0;
        });
        return command;
    }

    private static Command CreateDelete()
    {
        var name = new Argument<string>("NAME") { Description = "User name." };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation (required when stdin is not a terminal)." };
        var command = new Command("delete", "Delete a user with all mailboxes and messages.") { name, yes };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken);
            var user = await FindAsync(store, parseResult.GetValue(name)!, cancellationToken);
            if (user is null)
            {
                return 1;
            }
            if (!parseResult.GetValue(yes))
            {
                if (Console.IsInputRedirected)
                {
                    await Console.Error.WriteLineAsync("Refusing to delete without confirmation: stdin is not a terminal. Pass --yes.");
                    return 1;
                }
                Console.Error.Write($"Delete user '{user.Name}' and all their mail? Type the user name to confirm: ");
                if (Console.ReadLine() != user.Name)
                {
                    await Console.Error.WriteLineAsync("Not deleted.");
                    return 1;
                }
            }
            await store.DeleteUserAsync(user.Id, cancellationToken);
            Console.WriteLine($"Deleted user '{user.Name}'.");
            return 0;
        });
        return command;
    }

    private static async Task<UserRecord?> FindAsync(IMailStore store, string name, CancellationToken cancellationToken)
    {
        var user = await store.FindUserAsync(name, cancellationToken);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"No user named '{name}'. See 'letterbox user list'.");
        }
        return user;
    }
}
