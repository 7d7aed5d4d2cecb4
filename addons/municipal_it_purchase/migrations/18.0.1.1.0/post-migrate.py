# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """A purchase order's reviews now belong to the order's company (they
    took the tier definition's, none for the budget holders' tier): set it on
    the reviews written before. The IT orders approved before keep what was
    approved, so that a later change is compared with it (and not taken for
    an order never attested)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    reviews = env["tier.review"].search([("model", "=", "purchase.order")])
    env.add_to_compute(env["tier.review"]._fields["company_id"], reviews)
    reviews.flush_recordset(["company_id"])
    orders = env["purchase.order"].search(
        [("it_is_it_order", "=", True), ("state", "!=", "cancel")]
    )
    for order in orders.filtered(lambda o: o.validation_status == "validated"):
        order._it_record_approval()
