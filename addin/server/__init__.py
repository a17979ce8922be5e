"""The xlwings Server project of the Office.js add-in, laid out as ``xlwings-server init``
lays one out: ``custom_scripts/`` (ribbon and task-pane buttons), ``custom_functions/``
(``=NIANBAO.CHECK()`` …), ``templates/`` (manifest, task pane), ``static/`` (ribbon
JavaScript) and ``auth/`` (the API-key check). ``nianbao serve`` points xlwings Server
at this folder (``XLWINGS_PROJECT_DIR``); see ``docs/excel-addin.md``.
"""

from pathlib import Path

#: This folder: xlwings Server's project directory.
PROJECT_DIR = Path(__file__).resolve().parent
