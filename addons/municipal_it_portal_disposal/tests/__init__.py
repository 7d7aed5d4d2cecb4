from . import test_crate_access
from . import test_crate_notifications
from . import test_crate_tour
from . import test_mail_language
from . import test_crate_anchor
from . import test_crate_routes_audit
