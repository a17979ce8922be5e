"""The ASGI app as an import string (``addin.server.asgi:app``), for uvicorn with several
worker processes: each worker imports this module, which configures xlwings Server
first (see :func:`addin.server.app.configure`)."""

import os

from .app import app as _app
from .app import configure

configure(os.environ.get("NIANBAO_ENVIRONMENT", "prod"))
app = _app()
