# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, tagged

from ..models.it_wipe_certificate import CERTIFICATE_EVIDENCE, EVIDENCE_FIELDS
from ..tools.sanitization_report import CSV_COLUMNS


@tagged("post_install", "-at_install")
class TestEvidenceColumns(TransactionCase):
    """A certificate's evidence is listed once; the fields that cannot be
    changed and a CSV export's columns are read from that list."""

    def test_csv_columns(self):
        """The CSV format the recipients send, column by column."""
        self.assertEqual(
            CSV_COLUMNS,
            (
                "report_id",
                "device_serial",
                "medium_serial",
                "method",
                "level",
                "tool",
                "tool_version",
                "status",
                "operator",
                "timestamp",
                "verification",
            ),
        )

    def test_evidence_fields(self):
        """The evidence plus the certificate's report and company, each a
        stored field of the certificate."""
        self.assertEqual(
            EVIDENCE_FIELDS - set(CERTIFICATE_EVIDENCE), {"report_id", "company_id"}
        )
        self.assertEqual(len(EVIDENCE_FIELDS), 14)
        fields = self.env["it.wipe.certificate"]._fields
        self.assertEqual(
            [name for name in EVIDENCE_FIELDS if not fields[name].store], []
        )
