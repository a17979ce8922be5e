"""Shared test set-up.

xlwings' remote engine and calamine reader need a license key: ``noncommercial`` is
the PolyForm Noncommercial key, which covers use by government institutions. It must
be set before the first ``import xlwings``.
"""

import contextlib
import os
import shutil

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Tests marked ``libreoffice`` skip locally without soffice, but never in CI."""
    if shutil.which("soffice") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(env=None, args=()):
    """A real ``nianbao serve`` on a free loopback port, with extra environment and
    options (``args=["--workers", "3"]``); yields ``(base_url, process)`` once it answers,
    and stops it (SIGINT, then kill) afterwards. The process's output is in ``process.log``."""
    import signal
    import subprocess
    import sys
    import tempfile
    import time
    import urllib.request

    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "NIANBAO_"))}
    environ.update(env or {})
    log = tempfile.TemporaryFile()  # not a pipe: an unread pipe fills up and blocks the server's logging
    proc = subprocess.Popen([sys.executable, "-m", "addin", "serve", "--port", str(port), *args],
                            env=environ, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                urllib.request.urlopen(base + "/manifest", timeout=2).read()
                break
            except OSError as e:
                if getattr(e, "code", None):  # an HTTP answer (e.g. 401): the server is up
                    break
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"nianbao serve did not start: {log.read().decode(errors='replace')[-2000:]}")
                time.sleep(0.3)
        yield base, proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def start_server():
    """Start ``nianbao serve`` (see :func:`serving`); stop it after the test.

    Returns ``start(env=None, args=()) -> (base_url, process)``.
    """
    with contextlib.ExitStack() as stack:
        yield lambda env=None, args=(): stack.enter_context(serving(env, args))


# Caches of code derived from the engine (compiled rule formulas, prose patterns): a
# mutation-testing run (scripts/mutation.sh) forks every mutant from a process that has
# already filled them, and maps each test to the functions it calls. Without clearing
# them per test a mutant in formula/validate/prose_check would never run and would be
# reported as a false survivor. ``ruleset.builtin_rules`` (the JSON files read once) is
# kept: it holds no compiled code.
_ENGINE_CACHES = {
    "addin.ruleset": ("_compile",),
    "addin.formula": None,  # None: every cache the module defines
    "addin.validate": None,
    "addin.values": None,
    "addin.document.prose_check": None,
}


def _engine_caches():
    import importlib

    out = []
    for name, only in _ENGINE_CACHES.items():
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if hasattr(obj, "cache_clear") and getattr(obj, "__module__", None) == name and (only is None or attr in only):
                out.append(obj)
    return out


@pytest.fixture(autouse=True)
def _clear_engine_caches():
    """Every test starts with empty engine caches (see ``_ENGINE_CACHES``)."""
    global _CACHES
    if _CACHES is None:
        _CACHES = _engine_caches()
    for c in _CACHES:
        c.cache_clear()


_CACHES = None


def pytest_make_parametrize_id(config, val, argname):
    """Text parameters that are not plain printable ASCII get the argument's name as id
    (pytest numbers repeats: ``text0``, ``text1``): escaped Chinese text with line breaks
    makes ids that mutmut's test mapping cannot pass back to pytest."""
    if isinstance(val, str) and not (val.isascii() and val.isprintable()):
        return argname
    return None
