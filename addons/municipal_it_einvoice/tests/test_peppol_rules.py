# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from odoo.tests import BaseCase, tagged

from . import ubl_builder
from .common import MARCH_LINES

CSV = (
    b"Bilaga;Serienummer;Period;Belopp\n"
    b"S-1;SN-A;2026-03;500,00\n"
    b"S-1;sn-b;2026-03;1 234,50\n"
    b"S-1;SN-X;2026-03;199,00\n"
    b"S-1;SN-C;2026-03;300,00\n"
)
MARCH = ("2026-03-01", "2026-03-31")


@tagged("post_install", "-at_install")
class TestPeppolRules(BaseCase):
    """The lessor e-invoices the tests write pass the official Peppol BIS
    Billing 3.0 rules (CEN EN 16931 and Peppol, release 3.0.19)."""

    def _fatal(self, documents):
        """{name: failed fatal assertion ids} of ``documents`` {name:
        bytes}, checked by tests/schematron.py in its own process."""

        def unlimited():
            # Odoo's memory limit is an address-space limit, inherited.
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))

        with tempfile.TemporaryDirectory() as folder:
            paths = {}
            for name, content in documents.items():
                paths[name] = Path(folder) / f"{name}.xml"
                paths[name].write_bytes(content)
            output = subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).parent / "schematron.py"),
                    *map(str, paths.values()),
                ],
                check=True,
                capture_output=True,
                text=True,
                preexec_fn=unlimited,
                timeout=600,
            ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        return {name: result[str(path)] for name, path in paths.items()}

    def test_the_rules_find_errors(self):
        """Not vacuous: an invoice whose amount due is not its total less
        what is paid fails BR-CO-16."""
        content = ubl_builder.build(MARCH_LINES, currency="SEK").replace(
            b'<cbc:PayableAmount currencyID="SEK">2791.88',
            b'<cbc:PayableAmount currencyID="SEK">1.00',
        )
        self.assertIn("BR-CO-16", self._fatal({"broken": content})["broken"])

    def test_every_way_of_carrying_the_serial(self):
        documents = {
            way: ubl_builder.build(MARCH_LINES, serial_in=way, currency="SEK")
            for way in ("object_id", "item_property", "sellers_item_id")
        }
        documents["attachment"] = ubl_builder.build(
            [("", 2233.5)], serial_in="attachment", attachment=CSV, currency="SEK"
        )
        documents["credit_note"] = ubl_builder.build(
            [("SN-B", 834.5)],
            number="K-7",
            credit_note=True,
            billing_ref="F-100",
            currency="SEK",
        )
        documents["line_periods"] = ubl_builder.build(
            [
                ("SN-A", 500.0, {"schedule": "S-1", "period": MARCH}),
                (
                    "SN-D",
                    250.0,
                    {"schedule": "S-1", "period": ("2026-02-01", "2026-02-28")},
                ),
            ],
            contract_ref=None,
            currency="SEK",
            period=("2026-02-01", "2026-03-31"),
        )
        self.assertEqual(self._fatal(documents), {way: [] for way in documents})
