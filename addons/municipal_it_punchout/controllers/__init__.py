from . import main
from . import demo_shop
