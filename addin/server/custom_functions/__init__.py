"""Custom functions of the Office.js add-in (xlwings Server imports this package).

Every function must be re-exported here; Excel shows them under the namespace set by
``XLWINGS_FUNCTIONS_NAMESPACE`` (``NIANBAO``), e.g. ``=NIANBAO.CHECK(...)``.
"""

from .functions import *  # noqa: F401,F403
