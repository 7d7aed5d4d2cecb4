from . import r5_note_xlsx
from . import co2e_xlsx
from . import lease_end_aid_xlsx
from . import refurbished_saving_xlsx
