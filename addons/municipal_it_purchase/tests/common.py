# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64

from odoo import Command
from odoo.tests import Form, new_test_user

from odoo.addons.base.tests.common import BaseCommon


class ItPurchaseCommon(BaseCommon):
    """One municipality: two activity codes with budget holders, an IT manager
    as the next approval level, a reseller, a lessor with a rate card, and IT
    device products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls.plan = cls.env["account.analytic.plan"].create({"name": "Verksamheter"})
        cls.company.it_activity_code_plan_id = cls.plan
        purchase = "purchase.group_purchase_user"
        cls.buyer = new_test_user(
            cls.env,
            login="it_buyer",
            name="Inköpare Ida",
            groups=f"{purchase},stock.group_stock_user",
        )
        cls.holder_school = new_test_user(
            cls.env, login="holder_school", name="Rektor Rut", groups=purchase
        )
        cls.deputy_school = new_test_user(
            cls.env, login="deputy_school", name="Biträdande Bo", groups=purchase
        )
        cls.holder_care = new_test_user(
            cls.env, login="holder_care", name="Chef Cecilia", groups=purchase
        )
        cls.it_manager = new_test_user(
            cls.env, login="it_manager_po", name="IT-chef Ivar", groups=purchase
        )
        cls.outsider = new_test_user(
            cls.env, login="outsider", name="Obehörig Olle", groups=purchase
        )
        Account = cls.env["account.analytic.account"]
        cls.code_school = Account.create(
            {
                "name": "Grundskola",
                "code": "3200",
                "plan_id": cls.plan.id,
                "it_budget_holder_id": cls.holder_school.id,
                "it_budget_deputy_id": cls.deputy_school.id,
                "it_approval_limit": 50000,
            }
        )
        cls.code_care = Account.create(
            {
                "name": "Äldreomsorg",
                "code": "4100",
                "plan_id": cls.plan.id,
                "it_budget_holder_id": cls.holder_care.id,
                "it_approval_limit": 10000,
            }
        )
        cls.next_level = cls.env["tier.definition"].create(
            {
                "name": "IT manager",
                "model_id": cls.env.ref("purchase.model_purchase_order").id,
                "review_type": "individual",
                "reviewer_id": cls.it_manager.id,
                "it_next_level": True,
                "company_id": cls.company.id,
            }
        )
        Partner = cls.env["res.partner"]
        cls.reseller = Partner.create({"name": "Webbshop IT AB", "is_company": True})
        cls.refurbisher = Partner.create(
            {
                "name": "Återbruk AB",
                "is_company": True,
                "it_refurbished_supplier": True,
            }
        )
        cls.lessor = Partner.create({"name": "Finans IT AB", "is_company": True})
        cls.env["it.lease.rate"].create(
            [
                {
                    "lessor_id": cls.lessor.id,
                    "device_category": "laptop",
                    "term_months": 36,
                    "rate_type": "percent",
                    "rate_percent": 2.95,
                },
                {
                    "lessor_id": cls.lessor.id,
                    "device_category": "monitor",
                    "term_months": 48,
                    "rate_type": "fixed",
                    "fixed_rent": 59,
                },
            ]
        )
        cls.laptop = cls._create_device_product(
            "Bärbar dator 14", "LAP-14", "laptop", it_model="Latitude 5450"
        )
        cls.monitor = cls._create_device_product(
            "Bildskärm 24", "MON-24", "monitor", it_lease_term_months=48
        )
        cls.tablet = cls._create_device_product(
            "Surfplatta", "TAB-10", "tablet", it_refurbished=True
        )

    @classmethod
    def _create_device_product(cls, name, code, category, **values):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "purchase_ok": True,
                "it_is_device": True,
                "it_device_category": category,
                "it_warranty_months": 36,
                **values,
            }
        )

    @classmethod
    def _line(cls, product, qty, price, code, **values):
        return Command.create(
            {
                "product_id": product.id,
                "product_qty": qty,
                "price_unit": price,
                "taxes_id": [Command.clear()],
                "analytic_distribution": {str(code.id): 100},
                **values,
            }
        )

    @classmethod
    def _create_order(cls, lines, partner=None):
        return (
            cls.env["purchase.order"]
            .with_user(cls.buyer)
            .create({"partner_id": (partner or cls.reseller).id, "order_line": lines})
        )

    def _approve(self, order, *users):
        """Request the approval and approve as each of ``users``."""
        order.with_user(self.buyer).request_validation()
        for user in users:
            order.with_user(user).validate_tier()
        self.assertEqual(order.validation_status, "validated")

    def _confirm(self, order, *approvers):
        self._approve(order, *approvers)
        order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "purchase")
        return order.picking_ids

    def _set_serials(self, picking, serials_by_product):
        """Put the serial numbers on the receipt's moves, as a warehouse
        clerk scanning them would."""
        for move in picking.move_ids:
            serials = serials_by_product.get(move.product_id, [])
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                [
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "product_id": move.product_id.id,
                        "product_uom_id": move.product_uom.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "lot_name": serial,
                        "quantity": 1,
                    }
                    for serial in serials
                ]
            )
            move.picked = bool(serials)

    def _validate(self, picking, backorder=True):
        """Validate as the warehouse clerk; a partial receipt makes a
        backorder (or not, with ``backorder=False``)."""
        res = picking.with_user(self.buyer).button_validate()
        if (
            isinstance(res, dict)
            and res.get("res_model") == "stock.backorder.confirmation"
        ):
            wizard = Form(
                self.env["stock.backorder.confirmation"]
                .with_user(self.buyer)
                .with_context(**res["context"])
            ).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    def _receive(self, picking, serials_by_product, backorder=True):
        self._set_serials(picking, serials_by_product)
        return self._validate(picking, backorder=backorder)


class ItSerialImportCommon(ItPurchaseCommon):
    """A confirmed order of two laptops and a monitor, its receipt waiting
    for the reseller's delivery file."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(
            [
                cls._line(cls.laptop, 2, 10000, cls.code_school),
                cls._line(cls.monitor, 1, 2000, cls.code_school),
            ]
        )
        cls.order.with_user(cls.buyer).request_validation()
        cls.order.with_user(cls.holder_school).validate_tier()
        cls.order.with_user(cls.buyer).button_confirm()
        cls.picking = cls.order.picking_ids

    def _import(self, content, filename="leverans.csv"):
        wizard = (
            self.env["it.receipt.serial.import"]
            .with_user(self.buyer)
            .create(
                {
                    "picking_id": self.picking.id,
                    "file": base64.b64encode(content),
                    "filename": filename,
                }
            )
        )
        return wizard.action_import()

    def _serials(self):
        return sorted(filter(None, self.picking.move_line_ids.mapped("lot_name")))
