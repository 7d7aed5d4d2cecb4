# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The official Peppol BIS Billing 3.0 rules (Schematron, XSLT 2 binding):
compiled to XSLT with the ISO Schematron skeleton that lxml ships, run by
Saxon-HE (saxonche). Test-only, run as a script in its own process (Saxon's
native image reserves more address space than the Odoo server's memory
limit allows):

    python3 schematron.py DOCUMENT.xml ...
    PEPPOL_BIS_SCH=.../peppol-bis-invoice-3/rules/sch python3 schematron.py ...

prints one JSON object: each document's failed fatal assertion ids."""

import json
import os
import re
import sys
import tempfile
from pathlib import Path

import lxml
from lxml import etree
from saxonche import PySaxonProcessor

# The CEN EN 16931 rules (EUPL 1.2, see the file's header) are in the
# repository. OpenPEPPOL's own rules (PEPPOL-EN16931-UBL.sch of
# peppol-bis-invoice-3, release 3.0.19) carry no licence that lets them be
# copied here: give their folder in PEPPOL_BIS_SCH to run them too.
SCH = Path(__file__).parent / "data" / "cen"
RULES = [SCH / "CEN-EN16931-UBL.sch"]
if os.environ.get("PEPPOL_BIS_SCH"):
    RULES.append(Path(os.environ["PEPPOL_BIS_SCH"]) / "PEPPOL-EN16931-UBL.sch")
SKELETON = (
    Path(os.path.dirname(lxml.__file__))
    / "isoschematron"
    / "resources"
    / "xsl"
    / "iso-schematron-xslt1"
)
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


class PeppolRules:
    """Compile once, then ``fatal(content)`` names the failed fatal
    assertions of a document (bytes)."""

    def __init__(self):
        self.processor = PySaxonProcessor(license=False)
        self.folder = tempfile.mkdtemp(prefix="peppol_sch_")
        self.executables = [self._compile(path) for path in RULES]

    def _compile(self, sch):
        xslt = self.processor.new_xslt30_processor()
        included = xslt.transform_to_string(
            source_file=str(sch),
            stylesheet_file=str(SKELETON / "iso_dsdl_include.xsl"),
        )
        path = Path(self.folder) / f"{sch.stem}.included.sch"
        path.write_text(included, encoding="utf-8")
        expanded = xslt.transform_to_string(
            source_file=str(path),
            stylesheet_file=str(SKELETON / "iso_abstract_expand.xsl"),
        )
        # The skeleton refuses the "xslt2" binding by name only; the rules
        # then run as XSLT 2 in Saxon.
        expanded = expanded.replace('queryBinding="xslt2"', 'queryBinding="xslt"', 1)
        path.write_text(expanded, encoding="utf-8")
        svrl = xslt.compile_stylesheet(
            stylesheet_file=str(SKELETON / "iso_svrl_for_xslt1.xsl")
        )
        svrl.set_parameter("allow-foreign", self.processor.make_string_value("true"))
        compiled = svrl.transform_to_string(source_file=str(path))
        compiled = re.sub(
            r'(<(?:xsl|axsl):stylesheet[^>]*?)version="1.0"',
            r'\1version="2.0"',
            compiled,
            count=1,
        )
        path = Path(self.folder) / f"{sch.stem}.xsl"
        path.write_text(compiled, encoding="utf-8")
        return xslt.compile_stylesheet(stylesheet_file=str(path))

    def fatal(self, path):
        """Sorted ids of the fatal assertions the document at ``path``
        fails."""
        failed = set()
        for executable in self.executables:
            report = etree.fromstring(
                executable.transform_to_string(source_file=str(path)).encode()
            )
            for assertion in report.iter(f"{SVRL}failed-assert"):
                if assertion.get("flag") == "fatal":
                    failed.add(assertion.get("id"))
        return sorted(failed)


if __name__ == "__main__":
    rules = PeppolRules()
    sys.stdout.write(
        json.dumps({path: rules.fatal(path) for path in sys.argv[1:]}) + "\n"
    )
