# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import random
from collections import Counter

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.fuzz import mutate

from .common import DisposalCommon

_logger = logging.getLogger(__name__)

SEED = 20261129
FILES = 400


@tagged("post_install", "-at_install")
class TestReportFuzz(DisposalCommon):
    """Randomly broken sanitization reports (a seeded generator): each is
    imported or refused with a UserError, never a server error, and a refused
    file writes nothing. Each file meets the same register: an imported one
    is rolled back."""

    def _counts(self):
        return tuple(
            self.env[model].search_count([])
            for model in ("it.wipe.report", "it.wipe.certificate", "it.storage.medium")
        )

    def test_broken_reports_are_imported_or_refused(self):
        rng = random.Random(SEED)
        sources = [
            (
                self._csv(
                    [
                        self._csv_row("RA-1", "SSD-A1"),
                        self._csv_row("RA-2", "SSD-B1", level="Destroy"),
                    ]
                ),
                "fuzz.csv",
            ),
            (
                self._xml(
                    "DOC-FUZZ",
                    "RA-1",
                    [("SSD-A1", "NIST 800-88 Purge", "Successful")],
                    disks=[("SSD-A1", "NVMe", 512110190592)],
                ),
                "fuzz.xml",
            ),
        ]
        # Unbroken, both files import.
        for source, name in sources:
            with self.env.cr.savepoint(flush=False) as savepoint:
                self.assertTrue(self._import(source, name).certificate_ids)
                savepoint.rollback()
            self.env.invalidate_all()
        outcomes, problems = Counter(), Counter()
        for number in range(FILES):
            source, name = sources[number % 2]
            content = mutate(rng, source)
            before = self._counts()
            try:
                # Each file on the same register: an import is rolled back.
                with self.env.cr.savepoint(flush=False) as savepoint:
                    self._import(content, f"{number}-{name}")
                    outcomes["imported"] += 1
                    savepoint.rollback()
            except UserError as error:
                outcomes["refused"] += 1
                problems[str(error).split("\n")[-1][:60]] += 1
            self.env.invalidate_all()
            self.assertEqual(self._counts(), before, f"file {number}")
        _logger.info(
            "fuzz: %s sanitization reports, %s refused, %s imported, 0 tracebacks",
            FILES,
            outcomes["refused"],
            outcomes["imported"],
        )
        _logger.info("fuzz: most frequent problems %s", problems.most_common(8))
        self.assertEqual(outcomes["refused"] + outcomes["imported"], FILES)
        self.assertGreater(outcomes["refused"], FILES // 2)
        self.assertGreater(outcomes["imported"], 0)
