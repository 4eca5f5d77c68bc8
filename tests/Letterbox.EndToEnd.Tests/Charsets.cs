using System.Runtime.CompilerServices;

namespace Letterbox.EndToEnd.Tests;

/// <summary>MailKit and the corpus helpers parse with MimeKit before any Letterbox.Mail type is touched; the legacy code pages
/// must be registered before MimeKit's first charset lookup (see <see cref="Letterbox.Mail.Sorting.EncodedWords"/>),
/// as the server does at startup.</summary>
internal static class Charsets
{
#pragma warning disable CA2255 // test assembly start-up, the same order as the server's
    [ModuleInitializer]
    internal static void Register() => Letterbox.Mail.Sorting.EncodedWords.RegisterCharsets();
#pragma warning restore CA2255
}
