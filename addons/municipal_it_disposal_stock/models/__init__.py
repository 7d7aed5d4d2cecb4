from . import it_disposal_batch
