using System.CommandLine;
using Letterbox.Commands;

// The `letterbox` command. Each subcommand lives in Commands/<Name>Command.cs and is added here.
var root = new RootCommand("Letterbox: an IMAP server.")
{
    CommonOptions.Data,
    ServeCommand.Create(),
    UserCommand.Create(),
    ImportCommand.Create(),
    IndexCommand.Create(),
};

// The serve command's host handles Ctrl-C/SIGTERM itself (graceful stop), so System.CommandLine must not.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
