from . import test_batch_flow
from . import test_custody
from . import test_wipe_rules
from . import test_report_import
from . import test_escalation
from . import test_lease_end
from . import test_multi_company
from . import test_mail_language
