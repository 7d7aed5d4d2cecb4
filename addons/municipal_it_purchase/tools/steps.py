# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a step of the attest carries to the next: the codes it re-opens."""


class ReopenedCodes(frozenset):
    """The activity code ids whose attest a change of the amount re-opens,
    carried in the context of the re-opened request. A request's context
    cannot hold this class (JSON has no such value), so a caller cannot
    narrow an attest to the codes of their choice."""


def reopened_codes(env):
    """The ids of the re-opened codes (``ReopenedCodes``), or None when the
    request covers every code of the order."""
    codes = env.context.get("it_reopened_codes")
    return codes if isinstance(codes, ReopenedCodes) else None
