from . import it_disposal_add_serials
from . import it_disposal_receipt
from . import it_wipe_report_import
from . import it_disposal_reason
from . import it_custody_verify
