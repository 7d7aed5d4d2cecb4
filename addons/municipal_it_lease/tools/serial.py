# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One identity per serial number, whatever way it was typed or pasted.

A serial is compared by its key: Unicode NFKC (full-width digits become
ASCII ones), case-folded, without any whitespace (inner, tab, non-breaking)
and without invisible format characters (zero-width space, joiners, BOM,
direction marks). Other control characters (NUL, ESC, ...) are not a typing
accident but junk: ``find_control_character`` reports them so that callers
refuse the serial with a clear message. Other addons call ``serial_key``.
"""

import unicodedata


def _is_dropped(char):
    # Whitespace of any kind, and invisible "format" characters (Cf).
    return char.isspace() or unicodedata.category(char) == "Cf"


def find_control_character(serial):
    """The first control character of ``serial`` that is not whitespace,
    as ``U+XXXX`` text, or None."""
    for char in serial or "":
        if unicodedata.category(char) == "Cc" and not char.isspace():
            return f"U+{ord(char):04X}"
    return None


#: Longest serial number kept: manufacturers' serials are 8 to 20 characters.
MAX_SERIAL_LENGTH = 64
#: A cell starting with one of these runs as a formula in a spreadsheet.
SERIAL_FORMULA_PREFIXES = ("=", "+", "-", "@")


def serial_problem(serial, env):
    """The problem text (translated) when ``serial`` cannot be stored as a
    serial number, or None. The one rule for every way a serial enters: typed,
    imported, delivered, uploaded by a lessor, read from a wipe or MDM report.
    Refused: a control character anywhere (a newline or tab inside included),
    a leading ``= + - @`` (it would run as a spreadsheet formula), more than
    ``MAX_SERIAL_LENGTH`` characters."""
    text = clean_serial(serial) if isinstance(serial, str) else ""
    if not text:
        return env._("the serial number is empty")
    # A control character is never printable: the usual serial is checked
    # at once.
    for char in "" if text.isprintable() else text:
        if unicodedata.category(char) == "Cc":
            return env._(
                "the serial number %(serial)r contains the control character %(char)s",
                serial=text[:40],
                char=f"U+{ord(char):04X}",
            )
    if text.startswith(SERIAL_FORMULA_PREFIXES):
        return env._(
            "the serial number %(serial)r looks like a spreadsheet formula",
            serial=text[:40],
        )
    if len(text) > MAX_SERIAL_LENGTH:
        return env._(
            "the serial number has %(length)s characters (at most %(max)s)",
            length=len(text),
            max=MAX_SERIAL_LENGTH,
        )
    return None


def clean_serial(serial):
    """The serial as shown: NFKC, invisible format characters removed,
    outer whitespace trimmed; inner spaces are kept as typed."""
    if serial and serial.isascii():
        # NFKC changes no ASCII text, and no format character is ASCII.
        return serial.strip()
    text = unicodedata.normalize("NFKC", serial or "")
    return "".join(char for char in text if unicodedata.category(char) != "Cf").strip()


def serial_key(serial):
    """The key two serials share when they are the same device, or False
    when nothing is left of ``serial``."""
    if serial and serial.isascii():
        # The usual serial: NFKC changes no ASCII text, case folding is
        # lower(), no format character is ASCII, and split() drops exactly
        # the characters isspace() names.
        return "".join(serial.lower().split()) or False
    text = unicodedata.normalize("NFKC", serial or "").casefold()
    # NFKC again: case folding can produce characters that compose.
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if not _is_dropped(char)) or False
