from . import charge_run_xlsx
from . import reconciliation_xlsx
