from . import res_company
from . import it_disposal_batch
from . import it_disposal_batch_line
from . import it_wipe_report
