# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Workbooks never execute user data.

xlsxwriter's ``write()`` turns text starting with ``=`` into a formula, text
that looks like a URL into a live hyperlink and numeric-looking text into a
number. Device names, serial numbers and schedule names come from users,
files and lessors: every workbook the addons produce is created with these
options, so such text is written as the text it is.
"""

SAFE_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
