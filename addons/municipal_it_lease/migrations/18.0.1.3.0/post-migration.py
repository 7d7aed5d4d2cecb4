# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Charging has one lock since 18.0.1.3.0: an update of the company's own row
# (res.company._lock_it_charging). The table the lock used to upsert, created
# by it.charge.run.init() in earlier versions, holds nothing else: dropped.


def migrate(cr, version):
    cr.execute("DROP TABLE IF EXISTS it_charge_company_lock")
