# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Find the columns of the tables users upload (read by ``fileparse``) by
their header names, whatever their case, accents and spacing."""

import unicodedata

from odoo.exceptions import UserError


def normalize_header(name):
    """Case, accents and spacing do not matter in header names."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore")
    return " ".join(text.decode().lower().replace("_", " ").split())


def find_columns(header, wanted, env, row_number=1):
    """Map each wanted column to its index in ``header``.

    ``wanted`` maps a key to (label, accepted header names); the names are
    compared after ``normalize_header``. A missing column is refused naming
    what the header row holds and what was looked for.
    """
    normalized = [normalize_header(name) for name in header]
    columns, missing = {}, []
    for key, (label, names) in wanted.items():
        accepted = {normalize_header(name) for name in names}
        index = next((i for i, name in enumerate(normalized) if name in accepted), None)
        if index is None:
            missing.append(f"{label} ({' / '.join(names)})")
        else:
            columns[key] = index
    if missing:
        raise UserError(
            env._(
                "Row %(row)s, the header row, lacks the column(s): %(missing)s. "
                "It has: %(found)s.",
                row=row_number,
                missing="; ".join(missing),
                found=", ".join(name for name in header if name) or "-",
            )
        )
    return columns
