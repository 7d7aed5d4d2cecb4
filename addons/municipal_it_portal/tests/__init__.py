from . import test_portal_access
from . import test_portal_actions
from . import test_portal_tour
from . import test_mail_language
from . import test_portal_probe
from . import test_portal_fuzz
from . import test_portal_matrix
from . import test_portal_readonly
