"""Scripts behind the ribbon and task-pane buttons (xlwings Server imports this package)."""

from .scripts import *  # noqa: F401,F403 — xlwings Server finds scripts by attribute
