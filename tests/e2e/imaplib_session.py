#!/usr/bin/env python3
"""A second, independent IMAP client against Letterbox: Python's standard-library imaplib.

Usage: imaplib_session.py HOST PORT USER PASSWORD

Runs login -> list -> select INBOX -> append -> fetch (FLAGS, BODY[]) -> store +FLAGS \\Deleted -> expunge ->
logout and checks every answer (RFC 9051 §6; RFC 3501 for imaplib's IMAP4rev1 dialect). Exits 0 on success;
on any deviation prints what was expected and what the server said, and exits 1.
"""
import imaplib
import re
import sys
import time


def fail(step, message):
    print(f"FAIL [{step}]: {message}", file=sys.stderr)
    sys.exit(1)


def expect_ok(step, result):
    typ, data = result
    if typ != "OK":
        fail(step, f"expected OK, got {typ} {data!r}")
    return data


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

    try:
        imap = imaplib.IMAP4(host, port, timeout=30)
    except Exception as e:  # noqa: BLE001 - report any connection failure plainly
        fail("connect", f"{type(e).__name__}: {e}")

    try:
        caps = {c.upper() for c in imap.capabilities}
        for needed in ("IMAP4REV1", "UIDPLUS"):
            if needed not in caps:
                fail("capability", f"{needed} not advertised; got {sorted(caps)}")

        expect_ok("login", imap.login(user, password))

        data = expect_ok("list", imap.list('""', "*"))
        names = []
        for line in data:
            text = line.decode("utf-8", "replace") if isinstance(line, bytes) else str(line)
            m = re.match(r'^\((?P<attrs>[^)]*)\) (?:"(?:[^"\\]|\\.)*"|NIL) (?P<name>.+)$', text)
            if not m:
                fail("list", f"unparseable LIST line {text!r}")
            names.append(m.group("name").strip('"'))
        if "INBOX" not in names:
            fail("list", f"INBOX missing from LIST: {names}")

        data = expect_ok("select", imap.select("INBOX"))
        exists_before = int(data[0])

        message = (
            b"From: Python <python@example.com>\r\n"
            b"To: Letterbox <letterbox@example.com>\r\n"
            b"Subject: imaplib session\r\n"
            b"Message-ID: <imaplib-session@example.com>\r\n"
            b"\r\n"
            b"Hello from imaplib.\r\n"
        )
        date = imaplib.Time2Internaldate(time.time())
        typ, data = imap.append("INBOX", r"(\Flagged)", date, message)
        if typ != "OK":
            fail("append", f"expected OK, got {typ} {data!r}")
        appenduid = re.search(rb"\[APPENDUID (\d+) (\d+)\]", data[0] or b"")
        if not appenduid:
            fail("append", f"no APPENDUID response code in {data!r}")
        uid = appenduid.group(2).decode()

        # The selected mailbox learns of the new message (EXISTS) at the latest on NOOP.
        expect_ok("noop", imap.noop())
        typ, data = imap.select("INBOX")
        if typ != "OK":
            fail("reselect", f"{typ} {data!r}")
        exists = int(data[0])
        if exists != exists_before + 1:
            fail("select", f"EXISTS {exists}, expected {exists_before + 1}")

        data = expect_ok("fetch", imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])"))
        body = None
        flags = None
        for item in data:
            if isinstance(item, tuple):
                head = item[0].decode("ascii", "replace")
                if "BODY[]" in head:
                    body = item[1]
                m = re.search(r"FLAGS \(([^)]*)\)", head)
                if m:
                    flags = m.group(1)
            elif isinstance(item, bytes):
                m = re.search(rb"FLAGS \(([^)]*)\)", item)
                if m and flags is None:
                    flags = m.group(1).decode()
        if body != message:
            fail("fetch", f"BODY[] differs from the appended message:\nexpected {message!r}\ngot      {body!r}")
        if flags is None or "\\Flagged" not in flags.split():
            fail("fetch", f"FLAGS should contain \\Flagged, got {flags!r} in {data!r}")
        if "\\Seen" in flags.split():
            fail("fetch", f"BODY.PEEK[] must not set \\Seen, got {flags!r}")

        data = expect_ok("store", imap.uid("STORE", uid, "+FLAGS", r"(\Deleted)"))
        joined = b" ".join(x if isinstance(x, bytes) else b"" for x in data)
        if b"\\Deleted" not in joined:
            fail("store", f"FETCH response should report \\Deleted, got {data!r}")

        data = expect_ok("expunge", imap.expunge())
        if not data or data[0] is None:
            fail("expunge", f"no EXPUNGE response for the deleted message: {data!r}")
        if int(data[-1]) != exists:
            fail("expunge", f"expunged sequence number {data!r}, expected {exists}")

        data = expect_ok("search", imap.uid("SEARCH", "UID", uid))
        if data and data[0] and data[0].strip():
            fail("search", f"UID {uid} still present after EXPUNGE: {data!r}")

        typ, data = imap.logout()
        if typ != "BYE":
            fail("logout", f"expected BYE, got {typ} {data!r}")
    except imaplib.IMAP4.error as e:
        fail("protocol", f"imaplib error: {e}")
    except (OSError, EOFError) as e:
        fail("connection", f"{type(e).__name__}: {e}")

    print("imaplib session OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
