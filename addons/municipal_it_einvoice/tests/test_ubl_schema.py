# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import BaseCase, tagged

from . import ubl_builder
from .common import MARCH_LINES

CSV = b"Bilaga;Serienummer;Period;Belopp\nS-1;SN-A;2026-03;500,00\n"


@tagged("post_install", "-at_install")
class TestUblSchema(BaseCase):
    """The lessor e-invoices the tests and the benchmark write are valid
    against the OASIS UBL 2.1 schema (tests/data/ubl21); ubl_builder.build
    checks each one it writes, these tests check the check."""

    def test_schema_files_present(self):
        """A missing file fails the tests, it does not skip them."""
        self.assertEqual(ubl_builder.missing_schema_files(), [])
        self.assertEqual(len(ubl_builder.SCHEMA_FILES), 15)

    def test_every_kind_of_document_is_valid(self):
        documents = {
            way: ubl_builder.build(MARCH_LINES, serial_in=way, number=f"F-{way}")
            for way in ("object_id", "item_property", "sellers_item_id")
        }
        documents["attachment"] = ubl_builder.build(
            [("", 500.0)], serial_in="attachment", attachment=CSV
        )
        documents["credit_note"] = ubl_builder.build(
            [("SN-B", 834.5)], number="K-1", credit_note=True, billing_ref="F-100"
        )
        documents["line_periods_and_annexes"] = ubl_builder.build(
            [
                (
                    "SN-A",
                    500.0,
                    {"schedule": "S-1", "period": ("2026-03-01", "2026-03-31")},
                ),
                ("SN-D", 250.0, {"schedule": "S-2", "quantity": 2, "id": "L2"}),
            ],
            contract_ref=None,
            period=None,
        )
        for name, content in documents.items():
            with self.subTest(name):
                self.assertEqual(ubl_builder.schema_errors(content), [])

    def test_the_schema_finds_errors(self):
        """Not vacuous: a header out of the schema's order, an invoice line
        without its ID and an element UBL does not have are each refused."""
        content = ubl_builder.build(MARCH_LINES, number="F-ORDER")
        broken = {
            "order": content.replace(
                b"<cbc:IssueDate>2026-03-05</cbc:IssueDate>"
                b"<cbc:DueDate>2026-04-04</cbc:DueDate>",
                b"<cbc:DueDate>2026-04-04</cbc:DueDate>"
                b"<cbc:IssueDate>2026-03-05</cbc:IssueDate>",
            ),
            "line_id": content.replace(
                b"<cac:InvoiceLine><cbc:ID>1</cbc:ID>", b"<cac:InvoiceLine>"
            ),
            "unknown": content.replace(
                b"<cbc:BuyerReference>",
                b"<cbc:Serial>SN-A</cbc:Serial><cbc:BuyerReference>",
            ),
        }
        expected = {
            "order": "DueDate",
            "line_id": "InvoicedQuantity",
            "unknown": "Serial",
        }
        for name, document in broken.items():
            with self.subTest(name):
                self.assertNotEqual(document, content)
                errors = ubl_builder.schema_errors(document)
                self.assertTrue(errors)
                self.assertIn(expected[name], errors[0])
                with self.assertRaises(AssertionError):
                    ubl_builder.check_schema(document)
