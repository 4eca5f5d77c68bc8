using Letterbox.Imap.Mime;
using Letterbox.Imap.Tests.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Tests.Mime;

public class EnvelopeEncoderTests
{
    [Fact]
    public void Rfc3501Example_SenderAndReplyToFilledFromFrom()
    {
        var gray = new EnvelopeAddress("Terry Gray", null, "gray", "cac.washington.edu");
        var envelope = new Envelope(
            "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
            "IMAP4rev1 WG mtg summary and minutes",
            [gray],
            null,
            [],
            [new EnvelopeAddress(null, null, "imap", "cac.washington.edu")],
            [new EnvelopeAddress(null, null, "minutes", "CNRI.Reston.VA.US"), new EnvelopeAddress("John Klensin", null, "KLENSIN", "MIT.EDU")],
            null,
            null,
            "<B27397-0100000@cac.washington.edu>");

        // RFC 3501 §7.4.2, FETCH response example.
        const string expected = "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" " +
            "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) " +
            "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" \"cac.washington.edu\")) " +
            "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL " +
            "\"<B27397-0100000@cac.washington.edu>\")";
        Assert.Equal(expected, WriterHarness.Write(w => EnvelopeEncoder.Write(w, envelope)));
    }

    [Fact]
    public void AllNil()
    {
        var envelope = new Envelope(null, null, null, null, null, null, null, null, null, null);
        Assert.Equal("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)", WriterHarness.Write(w => EnvelopeEncoder.Write(w, envelope)));
    }

    [Fact]
    public void ExplicitSenderAndReplyTo_GroupsAndLiteralSubject()
    {
        var envelope = new Envelope(
            null,
            "line\r\nbreak",
            [new EnvelopeAddress(null, null, "a", "x.org")],
            [new EnvelopeAddress(null, null, "s", "x.org")],
            [new EnvelopeAddress("R \"Q\"", "@relay", "r", "x.org")],
            [new EnvelopeAddress(null, null, "team", null), new EnvelopeAddress(null, null, "b", "y.org"), new EnvelopeAddress(null, null, null, null)],
            null,
            null,
            "<parent@x>",
            null);

        const string expected = "(NIL {11}\r\nline\r\nbreak ((NIL NIL \"a\" \"x.org\")) ((NIL NIL \"s\" \"x.org\")) " +
            "((\"R \\\"Q\\\"\" \"@relay\" \"r\" \"x.org\")) " +
            "((NIL NIL \"team\" NIL)(NIL NIL \"b\" \"y.org\")(NIL NIL NIL NIL)) NIL NIL \"<parent@x>\" NIL)";
        Assert.Equal(expected, WriterHarness.Write(w => EnvelopeEncoder.Write(w, envelope)));
    }
}
