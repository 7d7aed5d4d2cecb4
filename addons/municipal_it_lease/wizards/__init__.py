from . import it_activity_code_change
from . import it_lease_end_decision
from . import it_lease_reconciliation_import
