from . import it_mdm_source
from . import it_mdm_import
from . import it_mdm_import_preview
from . import it_mdm_import_line
from . import maintenance_equipment
