# Copyright 2026 Municipal IT Lease contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# A period that one plan change split off and a second plan change of the
# same day recoded in place belongs to the second, and since 18.0.1.2.0 keeps
# the first in previous_remap_id, which undoing the second gives back (so
# that undoing the first then removes the period and gives the period before
# its end back). Periods recoded before that version have no
# previous_remap_id: undoing the second left them to nobody, and undoing the
# first then kept them. The first plan change is found again from what it
# did: applied, of the same company and day, mapping the code of the period
# before to the code the second one replaced.


def migrate(cr, version):
    cr.execute(
        """
        UPDATE it_activity_code_assignment period
           SET previous_remap_id = (
                SELECT remap.id
                  FROM it_activity_code_remap remap
                  JOIN it_activity_code_remap_line line
                    ON line.remap_id = remap.id
                 WHERE remap.company_id = period.company_id
                   AND remap.effective_date = period.date_from
                   AND remap.state = 'applied'
                   AND remap.id <> period.remap_id
                   AND line.old_code_id = before.activity_code_id
                   AND line.new_code_id = period.previous_code_id
              ORDER BY remap.applied_date DESC, remap.id DESC
                 LIMIT 1)
          FROM it_activity_code_assignment before
         WHERE period.split_from_id = before.id
           AND period.remap_id IS NOT NULL
           AND period.previous_code_id IS NOT NULL
           AND period.previous_remap_id IS NULL
        """
    )
