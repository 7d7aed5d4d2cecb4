# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# A period a plan change split off no longer stores the code before the
# change (it is the code of the period it continues): previous_code_id now
# marks a period recoded in place, which its undo gives its code back. Clear
# it on the continued periods written before, where it repeats the code of
# the period they continue; undoing those plan changes then deletes their
# continued periods as before.


def migrate(cr, version):
    cr.execute(
        """
        UPDATE it_activity_code_assignment continued
           SET previous_code_id = NULL
          FROM it_activity_code_assignment before
         WHERE continued.split_from_id = before.id
           AND continued.remap_id IS NOT NULL
           AND continued.previous_code_id = before.activity_code_id
        """
    )
