from . import test_serial_number
from . import test_activity_code
from . import test_lease_schedule
from . import test_lease_line
from . import test_access_rights
from . import test_import
