from . import test_collect_ships_serials
