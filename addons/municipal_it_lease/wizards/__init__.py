from . import it_activity_code_change
