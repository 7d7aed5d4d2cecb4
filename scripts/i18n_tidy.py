#!/usr/bin/env python3
"""Tidy the addons' translations so that ``oca-checks-po`` passes.

    scripts/i18n_tidy.py [addons/<module> ...]     (default: every addon)

Run it after re-exporting an addon's ``.pot`` and adding the new strings to
its ``i18n/sv.po``. For each ``i18n/*.po`` that has the addon's ``.pot``
beside it, it:

1. drops the entries whose msgid (and msgctxt) is not in the ``.pot`` any
   more: Odoo merges the ``.pot`` into the ``.po`` on load and skips those
   entries, so they translate nothing; left in, an old wording of a field's
   help is a ``po-duplicate-model-definition``;
2. formats the file with ``oca-checks-po --fix`` (the pinned hook of
   requirements.txt and .pre-commit-config.yaml): entries sorted by msgid,
   lines wrapped at 78 columns, and a msgstr equal to its msgid emptied
   (Odoo shows the msgid then: the same text).

No translation is changed. Entries of the ``.pot`` that the ``.po`` lacks are
listed (they are shown in English) but not added. Exits non-zero when
``oca-checks-po`` still reports something.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def tidy(po_path, pot_path):
    pot_keys = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(pot_path))}
    po = polib.pofile(str(po_path), wrapwidth=78)
    stale = [entry for entry in po if (entry.msgctxt, entry.msgid) not in pot_keys]
    for entry in stale:
        print(f"{po_path}: dropped (not in the .pot): {entry.msgid[:70]!r}")
        po.remove(entry)
    obsolete = po.obsolete_entries()
    for entry in obsolete:
        print(f"{po_path}: dropped (obsolete): {entry.msgid[:70]!r}")
        po.remove(entry)
    if stale or obsolete:
        po.save()
    po_keys = {(entry.msgctxt, entry.msgid) for entry in po}
    missing = pot_keys - po_keys - {(None, "")}
    for _ctxt, msgid in sorted(missing, key=lambda key: key[1]):
        print(f"{po_path}: not translated yet: {msgid[:70]!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("addons", nargs="*", type=Path)
    args = parser.parse_args()
    addons = args.addons or sorted(
        p.parent for p in ROOT.glob("addons/*/__manifest__.py")
    )
    po_files = []
    for addon in addons:
        pot_path = addon / "i18n" / f"{addon.resolve().name}.pot"
        if not pot_path.exists():
            continue
        for po_path in sorted(pot_path.parent.glob("*.po")):
            tidy(po_path, pot_path)
            po_files.append(str(po_path))
    if not po_files:
        return 0
    checker = shutil.which("oca-checks-po")
    if not checker:
        print(
            "oca-checks-po is missing: pip install -r requirements.txt", file=sys.stderr
        )
        return 2
    # The first run fixes the formatting (and exits 1 when it had to), the
    # second one says whether anything is left.
    subprocess.run([checker, "--fix", "--no-verbose", *po_files], check=False)
    return subprocess.run([checker, *po_files], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
