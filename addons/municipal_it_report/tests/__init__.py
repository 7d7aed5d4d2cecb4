from . import test_sie_tools
from . import test_sie_export
from . import test_r5_note
from . import test_co2e_ledger
from . import test_lease_end_aid
from . import test_refurbished_saving
from . import test_dashboard
from . import test_day_one
