from . import test_mdm_import
from . import test_mdm_errors
from . import test_mdm_mapping
from . import test_mdm_not_seen
from . import test_mdm_review
from . import test_mdm_access
from . import test_mdm_fuzz
from . import test_mdm_guard
