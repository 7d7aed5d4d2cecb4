from . import abstract_xlsx
from . import charge_run_xlsx
from . import reconciliation_xlsx
