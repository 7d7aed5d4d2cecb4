from . import test_access
from . import test_bad_returns
from . import test_cxml
from . import test_oci
from . import test_tours
