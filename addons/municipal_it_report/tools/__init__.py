from . import sie
