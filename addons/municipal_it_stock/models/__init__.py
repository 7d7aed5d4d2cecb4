from . import maintenance_equipment
from . import stock_lot
