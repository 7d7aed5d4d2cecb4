from . import charge_run_xlsx
