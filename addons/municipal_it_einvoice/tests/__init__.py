# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_einvoice
from . import test_einvoice_bad_documents
from . import test_real_documents
from . import test_tours
from . import test_peppol_rules
from . import test_ubl_schema
