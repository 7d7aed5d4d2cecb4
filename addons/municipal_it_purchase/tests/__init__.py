from . import test_approval
from . import test_financing
from . import test_product
from . import test_receipt
from . import test_serial_import
from . import test_mail_language
from . import test_serial_import_fuzz
from . import test_guard
