"""API-key authentication: the ``custom`` provider of xlwings Server.

``nianbao serve`` turns it on whenever ``NIANBAO_API_KEY`` is set (and requires that
for any address other than loopback). Excel sends the key in the ``Authorization``
header — the task pane stores what the filer typed once, ``static/js/auth.js`` adds it
to every call — as ``Bearer <key>`` or the bare key.
"""

import os
import secrets

from fastapi import HTTPException, status
from xlwings_server.models import User

API_KEY_ENV = "NIANBAO_API_KEY"


def token_ok(token_string: str, expected: str | None) -> bool:
    """Compare in constant time; an unset or empty key never matches."""
    if not expected:
        return False
    token = (token_string or "").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    return secrets.compare_digest(token.encode(), expected.encode())


async def validate_token(token_string: str):
    if token_ok(token_string, os.environ.get(API_KEY_ENV)):
        return User(id="nianbao", name="filer")
    raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED,
                        detail="访问密钥不正确：请在任务窗格中填写管理员提供的访问密钥。")
