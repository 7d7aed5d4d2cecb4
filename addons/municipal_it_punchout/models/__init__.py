from . import it_punchout_account
from . import it_punchout_product_map
from . import it_punchout_uom_map
from . import it_punchout_session
from . import it_punchout_session_cart
from . import purchase_order
from . import purchase_order_line
from . import res_users
