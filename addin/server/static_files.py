"""Static files served so that no request can reach a file outside their folder.

xlwings Server's own static-file lookup joins the (already percent-decoded) request
path to its folder without checking the result, so ``/static/js/..%2f..%2fetc%2fpasswd``
returned any file the process could read. This module is our own lookup, which every
static mount of the app goes through (:func:`take_over_mounts`), whatever a future
xlwings Server does:

* the path after the mount is split on ``/`` and every segment must be a plain file
  name (letters, digits, ``. _ - @ + ~``, not starting with a dot): ``..``, dot-files,
  empty segments (``//``, absolute paths), ``\\``, ``:`` (Windows drive letters and
  streams), ``%`` (double encoding), NUL and other control characters never match;
* the joined path is resolved (symlinks followed) and must still lie inside the
  resolved folder, and be a regular file.

Anything else is a 404 with a Chinese message, the same as a file that does not exist.
:class:`SafeStaticFiles` is an ASGI app others can mount (``app.mount("/web",
SafeStaticFiles([folder]))``).
"""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path
from typing import Iterable

from .limits import reply_json

#: One path segment of a servable file: a plain name, never starting with a dot.
_SEGMENT = re.compile(r"[A-Za-z0-9_@+~-][A-Za-z0-9_.@+~-]{0,254}")
MAX_PATH_CHARS = 1024
MAX_SEGMENTS = 16

NOT_FOUND = "找不到该文件。"
METHOD_NOT_ALLOWED = "此地址只支持 GET 请求。"


def safe_segments(relative: str) -> list[str] | None:
    """The segments of ``relative`` (a ``/``-separated path below a folder, one leading
    ``/`` allowed), or ``None`` when any segment is not a plain file name."""
    if not isinstance(relative, str) or len(relative) > MAX_PATH_CHARS:
        return None
    if relative.startswith("/"):
        relative = relative[1:]
    parts = relative.split("/")
    if not 0 < len(parts) <= MAX_SEGMENTS:
        return None
    if not all(_SEGMENT.fullmatch(p) for p in parts):
        return None
    return parts


def resolve_inside(folders: Iterable[Path | str], relative: str) -> Path | None:
    """The real path of the regular file ``relative`` names in the first of ``folders``
    that has it, or ``None``: nothing outside a folder is ever returned, symlinks
    included."""
    parts = safe_segments(relative)
    if parts is None:
        return None
    for folder in folders:
        root = os.path.realpath(folder)
        real = os.path.realpath(os.path.join(root, *parts))
        if os.path.commonpath([root, real]) != root or real == root:
            continue
        if os.path.isfile(real):
            return Path(real)
    return None


def _route_path(scope) -> str:
    """The request path below the mount point (Starlette keeps the full path and puts
    the mount point in ``root_path``; older versions cut the path instead)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root):]
    return path


class SafeStaticFiles:
    """An ASGI app serving the files of ``folders`` (the first folder that has a file
    wins, so a project folder can override a package one) by GET and HEAD."""

    def __init__(self, folders: Iterable[Path | str]):
        self.folders = [Path(f) for f in folders]
        if not self.folders:
            raise ValueError("SafeStaticFiles needs at least one folder")

    def resolve(self, relative: str) -> Path | None:
        return resolve_inside(self.folders, relative)

    async def __call__(self, scope, receive, send) -> None:
        await self.serve(scope, receive, send, _route_path(scope))

    async def serve(self, scope, receive, send, relative: str) -> None:
        if scope["type"] != "http":
            return
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD"):
            return await reply_json(send, 405, METHOD_NOT_ALLOWED, [(b"allow", b"GET, HEAD")])
        path = self.resolve(relative)
        if path is None:
            return await reply_json(send, 404, NOT_FOUND)
        from starlette.responses import FileResponse

        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type in ("application/javascript", "application/json"):
            media_type += "; charset=utf-8"
        response = FileResponse(path, media_type=media_type, stat_result=os.stat(path))
        await response(scope, receive, send)


def take_over_mounts(fastapi_app) -> dict[str, SafeStaticFiles]:
    """Serve every folder mounted on ``fastapi_app`` (xlwings Server mounts ``/static``,
    and ``/wasm`` … when Wasm is on) through :class:`SafeStaticFiles`, with the same
    folders in the same order. A mount whose folders cannot be found is refused, so an
    upgrade that adds a new kind of mount fails loudly instead of serving unchecked.

    Returns ``{mount path: handler}`` for :class:`StaticGuard`.
    """
    from starlette.routing import Mount

    taken: dict[str, SafeStaticFiles] = {}
    for route in fastapi_app.routes:
        if not isinstance(route, Mount):
            continue
        inner = getattr(route, "_base_app", route.app)
        if isinstance(inner, SafeStaticFiles):
            taken[route.path] = inner
            continue
        folders = [d for d in (getattr(inner, "user_dir", None), getattr(inner, "package_dir", None)) if d]
        if not folders:
            folders = [Path(d) for d in getattr(inner, "all_directories", []) or []]
        if not folders:
            raise RuntimeError(f"unvetted mount {route.path!r} ({type(inner).__name__}): "
                               "cannot tell which folder it serves")
        safe = SafeStaticFiles(folders)
        route._base_app = safe
        route.app = safe
        taken[route.path] = safe
    return taken


class StaticGuard:
    """ASGI middleware: a request below a static mount is answered 404 here unless its
    path names a regular file inside that mount's folders — a second lock in front of
    the app, in case the mounted handler ever changes."""

    def __init__(self, app, mounts: dict[str, SafeStaticFiles]):
        self.app = app
        self.mounts = sorted(mounts.items(), key=lambda kv: -len(kv[0]))

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path = scope.get("path", "")
            for prefix, handler in self.mounts:
                if path == prefix or path.startswith(prefix + "/"):
                    if handler.resolve(path[len(prefix):]) is None:
                        return await reply_json(send, 404, NOT_FOUND)
                    break
        await self.app(scope, receive, send)
