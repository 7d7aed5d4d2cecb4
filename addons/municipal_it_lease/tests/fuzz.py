# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Random breakage of a valid file, for the fuzz tests of every import that
reads a file (here and in the other addons): seeded, so a failure repeats."""

# Values a broken export or a hostile file puts in a cell or an element.
NASTY = [
    b"\x00",
    b"\x1b[31m",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # a lone UTF-16 surrogate encoded as UTF-8
    "\u202e\u200b".encode(),
    b'=HYPERLINK("http://x")',
    b"0001-01-01T00:00:00+14:00",
    b"9999-12-31T23:59:59-14:00",
    b"2026-02-30T10:00:00",
    b"1e309",
    b"99999999999999999999999999",
    b"-1",
    b'"',
    b"&xxe;",
    b"<![CDATA[x]]>",
    b"<entries name='erasure'>",
    b"x" * 5000,
]


def mutate(rng, content):
    """``content`` broken in one to three random ways."""
    data = bytearray(content)
    for _step in range(rng.randint(1, 3)):
        kind = rng.choice(("flip", "insert", "delete", "truncate", "repeat", "cell"))
        position = rng.randrange(len(data) + 1)
        starts = [i + 1 for i, byte in enumerate(data) if byte in b",;>"]
        if kind == "cell" and starts:
            # A cell's (or an element's) value: the nasty text in front of it.
            start = rng.choice(starts)
            data[start:start] = rng.choice(NASTY)
        elif kind == "flip" and data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
        elif kind == "insert":
            data[position:position] = rng.choice(NASTY)
        elif kind == "delete":
            del data[position : position + rng.randint(1, 40)]
        elif kind == "truncate":
            del data[position:]
        else:
            line_end = data.find(b"\n", position)
            if line_end != -1:
                start = data.rfind(b"\n", 0, position) + 1
                data[line_end:line_end] = b"\n" + data[start:line_end]
    return bytes(data)
