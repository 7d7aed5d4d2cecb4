from . import it_r5_note
from . import it_sie_export
from . import it_lease_end_aid
