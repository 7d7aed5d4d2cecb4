# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from odoo.addons.municipal_it_lease.tests.common_lang import LangMixin

from .common import ItPurchaseCommon

APPROVAL = "municipal_it_purchase.mail_activity_type_it_po_approval"


@tagged("post_install", "-at_install")
class TestMailLanguage(LangMixin, ItPurchaseCommon):
    """Each approver's activity reads the same for every reader (issue 24:
    no "Approve P00017" beside "Attestera P00017" on one screen): its summary
    is the order's reference, and the activity type's name is shown in each
    reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_langs(["municipal_it_purchase"])
        cls.holder_school.lang = "en_US"
        cls.deputy_school.lang = "sv_SE"
        cls.buyer.lang = "de_DE"

    def test_approval_activity_reads_alike_for_everyone(self):
        order = self._create_order(
            [self._line(self.laptop, 1, 10000, self.code_school)]
        )
        order.with_user(self.buyer).with_context(lang="de_DE").request_validation()
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )
        summaries = {activity.user_id: activity.summary for activity in activities}
        self.assertEqual(
            summaries,
            {self.holder_school: order.name, self.deputy_school: order.name},
        )
        activity_type = self.env.ref(APPROVAL)
        self.assertEqual(
            activity_type.with_context(lang="sv_SE").name, "Attestera IT-order"
        )
        self.assertEqual(
            activity_type.with_context(lang="en_US").name, "Approve IT Order"
        )
