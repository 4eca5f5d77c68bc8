#!/usr/bin/env python3
"""Writes Nfkd.bin, the NFKD data UnicodeCasemap needs (Letterbox runs with InvariantGlobalization, where
string.Normalize does nothing). Run from this folder: python3 Nfkd.generate.py

Format (little-endian): int32 n, then n x (int32 code point, byte length, length x int32 code points) = the full
NFKD of each code point whose NFKD is not itself (Hangul syllables excluded: decomposed algorithmically);
then int32 m, then m x (int32 code point, byte canonical combining class) for every class other than 0."""
import struct, sys, unicodedata

out = bytearray()
entries = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
        continue
    d = unicodedata.normalize('NFKD', chr(cp))
    if d != chr(cp):
        entries.append((cp, [ord(c) for c in d]))
out += struct.pack('<i', len(entries))
for cp, d in entries:
    out += struct.pack('<iB', cp, len(d)) + b''.join(struct.pack('<i', c) for c in d)
ccc = [(cp, unicodedata.combining(chr(cp))) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and unicodedata.combining(chr(cp))]
out += struct.pack('<i', len(ccc))
for cp, c in ccc:
    out += struct.pack('<iB', cp, c)
open('Nfkd.bin', 'wb').write(out)
print(f'Unicode {unicodedata.unidata_version}: {len(entries)} decompositions, {len(ccc)} combining classes, {len(out)} bytes')
