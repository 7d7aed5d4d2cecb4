from . import stock_picking_serial_import
