from . import res_company
from . import res_config_settings
from . import it_lease_portal_mixin
from . import it_lease_agreement
from . import it_lease_schedule
from . import it_lease_line
from . import it_lease_reconciliation
from . import maintenance_equipment
