# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import account_move
from . import account_move_line
from . import it_lease_reconciliation
from . import res_partner
