from . import it_activity_code_change
from . import it_lease_end_decision
from . import it_lease_reconciliation_import
from . import account_move_reversal
from . import it_lease_reconciliation_reopen
from . import it_lease_rent_change
