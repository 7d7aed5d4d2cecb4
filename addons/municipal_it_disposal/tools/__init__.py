from . import sanitization_report
