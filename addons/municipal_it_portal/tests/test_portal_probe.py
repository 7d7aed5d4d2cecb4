# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import ItPortalCommon

UPLOAD = "/my/leasing/reconciliations/upload"
LINE = "it.lease.reconciliation.line"
# Lessor L2 bills under its own annex T-1 its device SN-Z and four serials
# that are not its devices: SN-A (L1's, this municipality), SN-N (L1's, the
# other municipality), SN-FREE (a device of no lessor) and SN-NOWHERE (no
# device at all), all at the same amount.
PROBE = (
    b"Schedule,Serial,Period,Amount\n"
    b"T-1,SN-Z,2026-03,100\n"
    b"T-1,SN-A,2026-03,70\n"
    b"T-1,SN-N,2026-03,70\n"
    b"T-1,SN-FREE,2026-03,70\n"
    b"T-1,SN-NOWHERE,2026-03,70\n"
)
PROBED = ("SN-A", "SN-N", "SN-FREE")
# What of the probed devices must never reach lessor L2.
SECRETS = ("Laptop SN-A", "Laptop SN-N", "Laptop SN-FREE", "Hemlig")
# What differs between two lines by construction.
OWN_FIELDS = {"id", "row", "serial_no", "serial_normalized", "display_name"}


@tagged("post_install", "-at_install")
class TestPortalProbe(ItPortalCommon):
    """A lessor cannot probe the municipality's register through its own
    reconciliation: a serial of another lessor's device, or of a device of
    no lessor, is answered exactly like a serial that exists nowhere, in the
    page, over JSON-RPC (read, search, export) and in every error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device_free = cls.env["maintenance.equipment"].create(
            {"name": "Laptop SN-FREE", "serial_no": "SN-FREE", "note": "Hemlig"}
        )

    def _call(self, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": LINE, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _upload(self, login, content):
        self.authenticate(login, login)
        csrf = self._csrf("/my/account")
        return self.url_open(
            UPLOAD,
            data={"csrf_token": csrf, "month": "2026-03"},
            files={"file": ("spec.csv", content, "text/csv")},
            allow_redirects=False,
        )

    def test_probe_of_the_register_learns_nothing(self):
        response = self._upload("lessor_two", PROBE)
        self.assertEqual(response.status_code, 303, response.text[:500])
        reconciliation = self.env["it.lease.reconciliation"].search(
            [("lessor_id", "=", self.lessor_2.id)]
        )
        self.assertEqual(len(reconciliation), 1)

        # The page: the probed serials as the lessor wrote them, nothing of
        # the devices behind them.
        page = self._get(reconciliation.access_url, "lessor_two")
        self.assertEqual(page.status_code, 200)
        for secret in SECRETS:
            self.assertNotIn(secret, page.text)

        # JSON-RPC, as the lessor's portal user: every field it may read.
        lines = self._call(
            "search_read", [("reconciliation_id", "=", reconciliation.id)]
        )
        by_serial = {line["serial_no"]: line for line in lines}
        self.assertEqual(
            set(by_serial), {"SN-Z", "SN-A", "SN-N", "SN-FREE", "SN-NOWHERE"}
        )
        for secret in SECRETS:
            self.assertNotIn(secret, str(lines))
        self.assertNotIn("equipment_id", by_serial["SN-NOWHERE"])
        nowhere = {
            key: value
            for key, value in by_serial["SN-NOWHERE"].items()
            if key not in OWN_FIELDS
        }
        self.assertEqual(nowhere["status"], "not_in_register")
        self.assertEqual(nowhere["expected_amount"], 0.0)
        for serial in PROBED:
            with self.subTest(serial=serial):
                self.assertEqual(
                    {
                        key: value
                        for key, value in by_serial[serial].items()
                        if key not in OWN_FIELDS
                    },
                    nowhere,
                )
        # Asking for the links is refused alike, whatever the serial; so is
        # searching through them (a portal user exports nothing at all).
        ids = [by_serial[serial]["id"] for serial in (*PROBED, "SN-NOWHERE", "SN-Z")]
        for line_id in ids:
            for field in ("equipment_id", "lease_line_id"):
                with self.assertRaises(JsonRpcException, msg=field) as caught:
                    self._call("read", [line_id], [field])
                self.assertEqual(
                    caught.exception.args[0], "odoo.exceptions.AccessError"
                )
            with self.assertRaises(JsonRpcException):
                self._call("export_data", [line_id], ["equipment_id/name"])
            with self.assertRaises(JsonRpcException):
                self._call(
                    "web_read",
                    [line_id],
                    specification={"equipment_id": {"fields": {"display_name": {}}}},
                )
        for serial in (*PROBED, "SN-NOWHERE"):
            with self.assertRaises(JsonRpcException):
                self._call("search_count", [("equipment_id.serial_no", "=", serial)])

        # The municipality's staff see the lessor's own device linked, the
        # probed serials not in the register, as the lessor does.
        lines = reconciliation.line_ids.with_user(self.manager)
        self.assertEqual(
            {line.serial_no: (line.status, line.equipment_id) for line in lines},
            {
                "SN-Z": ("matched", self.device_z),
                "SN-A": ("not_in_register", self.env["maintenance.equipment"]),
                "SN-N": ("not_in_register", self.env["maintenance.equipment"]),
                "SN-FREE": ("not_in_register", self.env["maintenance.equipment"]),
                "SN-NOWHERE": ("not_in_register", self.env["maintenance.equipment"]),
            },
        )
