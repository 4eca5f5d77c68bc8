#!/usr/bin/env python3
"""Deliberately naive RFC 5256 / RFC 5957 reference for the corpus conformance data (issue 6).

Written straight from the RFC text, independent of Letterbox's C# code (src/Letterbox.Mail/Sorting and Threading
were not read or called while writing it) and of MimeKit. It prints one TSV line per corpus message:

  name  base-subject  sent-date  from  to  cc  displayfrom  displayto  reply

The output was then reviewed line by hand against the message headers and checked in as
CorpusSortKeys.expected.tsv; where the RFC says otherwise than this script, the .tsv is the authority (see the
comments "# review:" in the .tsv header). Usage (from the repository root):

  python3 tests/Letterbox.Mail.Tests/Sorting/Reference/rfc5256_reference.py keys > tests/Letterbox.Mail.Tests/Sorting/CorpusSortKeys.expected.tsv
  python3 tests/Letterbox.Mail.Tests/Sorting/Reference/rfc5256_reference.py thread corpus|netscape|simple references|orderedsubject
  python3 tests/Letterbox.Mail.Tests/Sorting/Reference/rfc5256_reference.py thread-dir DIR references|orderedsubject

Cross-check with Dovecot 2.3 (where the RFC is ambiguous, its answer was preferred unless noted): a throwaway
config (maildir under /tmp, static passdb/userdb, mail_uid nobody), the corpus APPENDed in this order by piping
IMAP commands into a pre-authenticated `USER=test HOME=... /usr/lib/dovecot/imap -c dovecot.conf`, then
`SORT (key) UTF-8 ALL` / `THREAD alg UTF-8 ALL`. Its answers and the deliberate differences are in docs/protocol.md
("SORT and THREAD").
"""
import base64
import binascii
import datetime
import email.utils
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', '..', 'shared', 'corpus'))


# ---------------------------------------------------------------- corpus (same names/order as tests/Shared/Corpus.cs)

def corpus_names():
    names = []
    eml = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, 'eml')):
        for f in files:
            if f.lower().endswith('.eml') or f.lower().endswith('.txt'):
                eml.append(os.path.relpath(os.path.join(dirpath, f), ROOT).replace('\\', '/'))
    names += sorted(eml, key=lambda s: s.encode())  # ordinal, like StringComparer.Ordinal on full paths
    for f in sorted(os.listdir(os.path.join(ROOT, 'mbox'))):
        if f.endswith('.mbox'):
            for i in range(len(split_mbox(os.path.join(ROOT, 'mbox', f)))):
                names.append('mbox/%s#%d' % (f, i))
    return names


def split_mbox(path):
    data = open(path, 'rb').read()
    messages, current = [], None
    for line in data.splitlines(keepends=True):
        if line.startswith(b'From '):
            if current is not None:
                messages.append(b''.join(current))
            current = []
        elif current is not None:
            current.append(line)
    if current is not None:
        messages.append(b''.join(current))
    return messages


def load(name):
    if '#' in name:
        path, index = name.split('#')
        return split_mbox(os.path.join(ROOT, path))[int(index)]
    return open(os.path.join(ROOT, name), 'rb').read()


# ---------------------------------------------------------------- header fields (RFC 5322 §2.2, §2.2.3 unfolding)

def header_fields(data):
    """Top-level header fields as (lower-case name, unfolded raw value) in order."""
    fields = []
    for raw in re.split(rb'\r?\n', data):
        if raw == b'':
            break
        if raw[:1] in (b' ', b'\t') and fields:
            fields[-1][1] += b'\r\n' + raw
            continue
        colon = raw.find(b':')
        if colon <= 0:
            continue
        fields.append([raw[:colon].strip().lower().decode('latin-1'), raw[colon + 1:]])
    return [(n, text(v.replace(b'\r\n', b''))) for n, v in fields]


def text(raw):
    # Raw 8-bit header bytes are outside RFC 5322 (and RFC 6532 allows only UTF-8): UTF-8 when valid, else Latin-1
    # (eml/legacy's "Fr\xf6sche"), which is how Letterbox's ENVELOPE presents them and so what SORT compares.
    # Dovecot sorts such bytes as U+FFFD instead (documented in docs/protocol.md, SORT and THREAD).
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return raw.decode('latin-1')


def first(fields, name):
    for n, v in fields:
        if n == name:
            return v
    return None


# ---------------------------------------------------------------- RFC 2047 encoded words

ENCODED_WORD = re.compile(r'=\?([^?\s*]+)(?:\*[^?\s]*)?\?([QqBb])\?([^?\s]*)\?=')


def decode_word(m):
    charset, enc, payload = m.group(1), m.group(2).upper(), m.group(3)
    try:
        if enc == 'B':
            raw = base64.b64decode(payload + '=' * (-len(payload) % 4))
        else:
            raw = re.sub(r'=([0-9A-Fa-f]{2})', lambda h: chr(int(h.group(1), 16)), payload.replace('_', ' ')).encode('latin-1')
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError, binascii.Error, ValueError):
        return m.group(0)


def decode_2047(value):
    # RFC 2047 §6.2: white space between adjacent encoded words is ignored.
    value = re.sub(r'(=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[QqBb]\?[^?\s]*\?=)', r'\1', value)
    return ENCODED_WORD.sub(decode_word, value)


# ---------------------------------------------------------------- RFC 5256 §2.1 base subject

BLOB = r'\[[^\[\]]*\][ \t]*'
REFWD = r'(?:re|fwd?)[ \t]*(?:' + BLOB + r')?:'
LEADER = re.compile(r'(?:(?:' + BLOB + r')*' + REFWD + r'|[ \t])', re.IGNORECASE)
TRAILER = re.compile(r'(?:\(fwd\)|[ \t])$', re.IGNORECASE)


def base_subject(subject):
    """Returns (base subject, is reply or forward) — §2.1 steps 1-7 and the REFERENCES 'reply or forward' rule."""
    s = decode_2047(subject or '')
    s = s.replace('\t', ' ').replace('\r\n', ' ').replace('\n', ' ').replace('\r', ' ')  # (1)
    s = re.sub(' +', ' ', s)
    reply = False
    while True:
        while True:  # (2)
            m = TRAILER.search(s)
            if not m:
                break
            if m.group(0).lower() == '(fwd)':
                reply = True
            s = s[:m.start()]
        while True:  # (5) repeat (3) and (4)
            changed = False
            m = LEADER.match(s)  # (3)
            while m and m.end() > 0:
                if m.group(0) not in (' ', '\t'):
                    reply = True
                s = s[m.end():]
                changed = True
                m = LEADER.match(s)
            m = re.match(BLOB, s)  # (4)
            if m and s[m.end():].strip(' \t') != '':
                s = s[m.end():]
                changed = True
            if not changed:
                break
        if s[:5].lower() == '[fwd:' and s.endswith(']'):  # (6)
            s = s[5:-1]
            reply = True
            continue
        return s, reply  # (7)


# ---------------------------------------------------------------- RFC 5256 §2.2 sent date

def sent_date(fields):
    value = first(fields, 'date')
    if value is None:
        return None
    value = re.sub(r"\([^()]*\)", " ", value)  # RFC 5322 §3.3: comments (CFWS) are not part of the date
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    y, mo, d, h, mi, s = parsed[:6]
    try:
        t = datetime.datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None
    offset = parsed[9] or 0  # "If the time zone is invalid, the date and time SHOULD be treated as UTC."
    return (t - datetime.timedelta(seconds=offset)).strftime('%Y-%m-%dT%H:%M:%SZ')


# ---------------------------------------------------------------- RFC 5256 §3 FROM/TO/CC, RFC 5957 §3 DISPLAY*

def first_address(fields, name):
    """(addr-name, addr-mailbox, addr-host) of the first address of the field, None if there is none."""
    value = first(fields, name)
    if value is None:
        return None
    group = re.match(r'\s*([^:<>"@,()]+?)\s*:', value)
    if group:
        # RFC 3501 §7.4.2 / RFC 9051 §7.5.2: group syntax starts with a marker whose addr-mailbox is the group name
        # (addr-name and addr-host NIL); that marker is the first address structure.
        return None, group.group(1), None
    try:
        addresses = email.utils.getaddresses([value])
    except RecursionError:
        return ('?', '?', '?')  # review by hand
    for display, spec in addresses:  # (the leading "name:" of a group is handled above)
        if spec == '' and display == '':
            continue
        if '@' in spec:
            mailbox, host = spec.rsplit('@', 1)
        else:
            mailbox, host = spec, None
        return display, mailbox, host
    return None


def addr_mailbox(fields, name):
    a = first_address(fields, name)
    return '' if a is None else a[1]


def display(fields, name):
    a = first_address(fields, name)
    if a is None:
        return ''
    display_name, mailbox, host = a
    if display_name:
        decoded = decode_2047(display_name)
        if decoded != '':
            return decoded
    if mailbox and host:
        return mailbox + '@' + host
    return mailbox or ''


# ---------------------------------------------------------------- keys

def escape(s):
    return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\r', '\\r').replace('\n', '\\n')


# Hand review (every line of the output was read against the message's headers). Where the naive code above is not
# what the RFCs say, the reviewed value is written here with its reason; the .tsv is this script's output.
COLUMNS = {'subject': 1, 'date': 2, 'from': 3, 'to': 4, 'cc': 5, 'displayfrom': 6, 'displayto': 7}
REVIEWED = {
    # "develop!nextmime@ebony@sblab.att.com": RFC 5322 §3.4.1 addr-spec = local-part "@" domain reads
    # "develop!nextmime" @ "ebony"; the rest is trailing junk (email.utils gives up on it). Dovecot reads the same.
    ('mbox/netscape-1990s.mbox#6', 'from'): 'develop!nextmime',
    ('mbox/netscape-1990s.mbox#6', 'displayfrom'): 'develop!nextmime@ebony',
    # To: '"test" <test@test.com>,' then thousands of encoded words: the first address is "test" <test@test.com>
    # (email.utils overflows Python's recursion limit on the rest).
    ('eml/mimekit/stack-overflow.txt', 'to'): 'test',
    ('eml/mimekit/stack-overflow.txt', 'displayto'): 'test',
    # The file starts with a UTF-8 byte order mark before "From:". RFC 5256 §3 defines FROM as the [IMAP]
    # addr-mailbox of the first From address, i.e. on the ENVELOPE, and Letterbox's ENVELOPE (like MimeKit, which the
    # round-trip tests hold it to) reads the BOM as a storage artefact: From is <abusedesk@example.com>. Dovecot keeps
    # the BOM in the field name, so it has no From (documented in docs/protocol.md, SORT and THREAD).
    ('eml/mimekit/feedback-report.txt', 'from'): 'abusedesk',
    ('eml/mimekit/feedback-report.txt', 'displayfrom'): 'abusedesk@example.com',
}


def keys(name):
    row = naive_keys(name)
    for (n, column), value in REVIEWED.items():
        if n == name:
            row[COLUMNS[column]] = value
    return row


def naive_keys(name):
    fields = header_fields(load(name))
    subject, reply = base_subject(first(fields, 'subject'))
    return [name, subject, sent_date(fields) or 'INTERNALDATE', addr_mailbox(fields, 'from'), addr_mailbox(fields, 'to'),
            addr_mailbox(fields, 'cc'), display(fields, 'from'), display(fields, 'to'), 'reply' if reply else '']



# ---------------------------------------------------------------- RFC 5256 §3 THREAD

def casemap(s):
    # i;unicode-casemap (RFC 5051) approximated for this corpus: upper case, then NFKD.
    import unicodedata
    return unicodedata.normalize('NFKD', s.upper())


MSG_ID = re.compile(r'<([^<>@]+@[^<>]+)>')


def normalize_id(m):
    # "MUST normalize any msg-id in order to avoid false non-matches due to differences in quoting":
    # <"01KF8JCEOCBS0045PS"@xxx.yyy.com> is <01KF8JCEOCBS0045PS@xxx.yyy.com>. White space inside is dropped.
    left, right = m.rsplit('@', 1)
    left = re.sub(r'\s+', '', left)
    if left.startswith('"') and left.endswith('"') and len(left) >= 2:
        left = re.sub(r'\\(.)', r'\1', left[1:-1])
    return left + '@' + re.sub(r'\s+', '', right)


def ids(value):
    return [normalize_id(x) for x in MSG_ID.findall(value or '')]


class Node:
    def __init__(self, message=None):
        self.message = message  # None for a dummy
        self.parent = None
        self.children = []

    def date(self):  # (sent date, sequence): the message's, or the first child's for a dummy
        return self.message['date'] if self.message else self.children[0].date()

    def descends_from(self, other):
        n = self
        while n is not None:
            if n is other:
                return True
            n = n.parent
        return False


def unlink(node):
    if node.parent is not None:
        node.parent.children.remove(node)
        node.parent = None


def link(parent, child):
    child.parent = parent
    parent.children.append(child)


def thread_messages(names):
    """[(sequence number, fields)] for the named messages, sequence numbers 1..n in order."""
    messages = []
    for seq, n in enumerate(names, 1):
        fields = header_fields(load(n))
        subject, reply = base_subject(first(fields, 'subject'))
        date = sent_date(fields) or '9999-INTERNALDATE'  # INTERNALDATE = time of APPEND, after every Date
        messages.append({'seq': seq, 'fields': fields, 'base': casemap(subject), 'reply': reply, 'date': (date, seq)})
    return messages


def references(messages):
    table = {}
    nodes = []
    for m in messages:  # (1) Message-IDs: first use wins, duplicates and missing ones get a unique id
        mid = ids(first(m['fields'], 'message-id'))
        key = mid[0] if mid else None
        if key is None or key in table and table[key].message is not None:
            key = ('unique', m['seq'])
        node = table.get(key) or Node()
        node.message = m
        table[key] = node
        nodes.append(node)
    for m, node in zip(messages, nodes):
        refs = ids(first(m['fields'], 'references'))
        if not refs:
            refs = ids(first(m['fields'], 'in-reply-to'))[:1]
        chain = []
        for r in refs:
            if r not in table:
                table[r] = Node()
            chain.append(table[r])
        for a, b in zip(chain, chain[1:]):  # (1A)
            if b.parent is None and a is not b and not a.descends_from(b):
                link(a, b)
        if chain:  # (1B)
            last = chain[-1]
            if last is not node and not last.descends_from(node):
                unlink(node)
                link(last, node)
        elif node.parent is not None:
            unlink(node)
    root = Node()
    for n in list(table.values()):  # (2)
        if n.parent is None:
            link(root, n)

    def prune(parent):  # (3)
        result = []
        for child in parent.children:
            prune(child)
            if child.message is None:
                if not child.children:
                    continue
                if parent is not root or len(child.children) == 1:
                    for g in child.children:
                        g.parent = parent
                        result.append(g)
                    continue
            result.append(child)
        parent.children = result
    prune(root)

    for c in root.children:  # (4)
        if c.message is None:
            c.children.sort(key=Node.date)
    root.children.sort(key=Node.date)

    def thread_subject(n):
        return n.message['base'] if n.message else n.children[0].message['base']

    def is_reply(n):
        return n.message is not None and n.message['reply']

    subjects = {}  # (5)
    for c in root.children:
        s = thread_subject(c)
        if s == '':
            continue
        old = subjects.get(s)
        if old is None or old.message is not None and (c.message is None or is_reply(old) and not is_reply(c)):
            subjects[s] = c
    for c in list(root.children):
        s = thread_subject(c)
        if s == '' or subjects[s] is c or c.parent is not root:
            continue
        old = subjects[s]
        if old.message is None and c.message is None:
            for g in c.children:
                link(old, g)
            c.children = []
            unlink(c)
        elif old.message is None:
            unlink(c)
            link(old, c)
        elif is_reply(c) and not is_reply(old):
            unlink(c)
            link(old, c)
        else:
            dummy = Node()
            at = root.children.index(old)
            unlink(c)
            unlink(old)
            link(dummy, old)
            link(dummy, c)
            dummy.parent = root
            root.children.insert(at, dummy)
            subjects[s] = dummy

    def sort(n):  # (6) youngest siblings first
        for c in n.children:
            sort(c)
        n.children.sort(key=Node.date)
    sort(root)
    return render(root.children)


def render(threads):
    def one(n, top):
        head = '' if n.message is None else str(n.message['seq'])
        if len(n.children) == 1:
            rest = one(n.children[0], False)
            return (head + ' ' + rest) if head else rest
        inner = ''.join('(' + one(c, False) + ')' for c in n.children)
        return head + (' ' if head and inner else '') + inner
    return ''.join('(' + one(t, True) + ')' for t in threads)


def ordered_subject(messages):
    ordered = sorted(messages, key=lambda m: (m['base'].encode('utf-8'), m['date']))
    threads = []
    for m in ordered:
        if threads and threads[-1][0]['base'] == m['base']:
            threads[-1].append(m)
        else:
            threads.append([m])
    threads.sort(key=lambda t: t[0]['date'])
    out = ''
    for t in threads:
        head = str(t[0]['seq'])
        if len(t) == 1:
            out += '(' + head + ')'
        elif len(t) == 2:
            out += '(' + head + ' ' + str(t[1]['seq']) + ')'
        else:
            out += '(' + head + ' ' + ''.join('(' + str(m['seq']) + ')' for m in t[1:]) + ')'
    return out


def mailbox(which):
    names = corpus_names()
    if which == 'corpus':
        return names
    return [n for n in names if n.startswith('mbox/' + which)]


if __name__ == '__main__' and sys.argv[1:2] == ['thread']:
    msgs = thread_messages(mailbox(sys.argv[2]))
    print(references(msgs) if sys.argv[3] == 'references' else ordered_subject(msgs))

if __name__ == '__main__' and sys.argv[1:2] == ['thread-dir']:
    # thread-dir DIR references|orderedsubject: the messages DIR/*.eml in name order, each with its INTERNALDATE
    # (ISO 8601, UTC) as the first tab-separated field of DIR/<same name>.txt — how the generated mailbox of the
    # end-to-end tests (GeneratedMailbox.Create(), written out one file per message) was threaded.
    import glob
    files = sorted(glob.glob(os.path.join(sys.argv[2], '*.eml')))
    load = lambda n: open(n, 'rb').read()  # noqa: E731 (the corpus loader, replaced for this mode)
    msgs = thread_messages(files)
    for m, f in zip(msgs, files):
        if m['date'][0].startswith('9999'):
            internal = datetime.datetime.fromisoformat(open(f[:-4] + '.txt').read().split('\t')[0])
            m['date'] = (internal.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'), m['seq'])
    print(references(msgs) if sys.argv[3] == 'references' else ordered_subject(msgs))

if __name__ == '__main__' and sys.argv[1:2] == ['keys']:
    print('# name\tbase-subject\tsent-date\tfrom\tto\tcc\tdisplayfrom\tdisplayto\treply')
    for n in corpus_names():
        print('\t'.join(escape(k) for k in keys(n)))
