from . import spreadsheet
from . import serial
from . import fileparse
from . import xlsx
from . import access
from . import activity
from . import chatter
from . import bulk
