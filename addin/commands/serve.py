"""``nianbao serve``: the Office.js add-in through xlwings Server."""

from __future__ import annotations

import os
import sys

from ..errors import InputError, os_error_message

#: An access key for other computers: at least this many characters, this many different ones.
MIN_KEY_CHARS, MIN_KEY_DISTINCT = 16, 8

DESCRIPTION = (
    "启动 xlwings Server，提供 Office.js 加载项（Excel 2021、Microsoft 365、网页版 Excel）：\n"
    "“政务公开年报”选项卡（校验、清除标记、导出报告、填写说明）、问题清单任务窗格、自定义函数 =NIANBAO.CHECK()。\n"
    "清单文件：http(s)://<主机>:<端口>/manifest/download。\n"
    "默认只监听本机 127.0.0.1（HTTP，供开发测试）。对其他地址提供服务时必须设置访问密钥环境变量 NIANBAO_API_KEY，"
    "并用 --certfile/--keyfile 启用 HTTPS（Excel 只加载 HTTPS 加载项），或在 HTTPS 反向代理之后使用 --behind-proxy。\n"
    "许可：xlwings Server 采用 PolyForm Noncommercial 许可，政府机关使用属于许可范围；"
    "未设置 XLWINGS_LICENSE_KEY 时使用 noncommercial。"
)


def add_arguments(p) -> None:
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--certfile", help="HTTPS 证书文件（PEM）")
    p.add_argument("--keyfile", help="HTTPS 私钥文件（PEM）")
    p.add_argument("--behind-proxy", action="store_true",
                   help="由前置的 HTTPS 反向代理负责加密：允许在非本机地址上使用 HTTP")
    p.add_argument("--dev", action="store_true", help="开发模式（函数命名空间为 NIANBAO_DEV）")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="工作进程数（默认为 CPU 核数；每个进程同时处理一个校验）")


def check_args(args) -> None:
    """Refuse unsafe combinations before anything starts."""
    if getattr(args, "workers", 1) < 1:
        raise InputError("--workers 至少为 1。")
    port = getattr(args, "port", 8000)
    if not 1 <= port <= 65535:
        raise InputError(f"端口 {port} 无效：--port 应在 1 到 65535 之间（默认 8000）。")
    from ..server.app import API_KEY_ENV, is_loopback

    if bool(args.certfile) != bool(args.keyfile):
        raise InputError("--certfile 和 --keyfile 必须同时给出。")
    for f in (args.certfile, args.keyfile):
        if f and not os.path.isfile(f):
            raise InputError(f"找不到证书文件：{f}")
        if f:
            try:
                with open(f, "rb"):
                    pass
            except OSError as e:
                raise InputError(os_error_message(e, "读取证书文件", f)) from None
    if not is_loopback(args.host):
        key = os.environ.get(API_KEY_ENV, "").strip()
        if not key:
            raise InputError(f"在 {args.host} 上提供服务前，请设置访问密钥环境变量 {API_KEY_ENV}"
                             "（例如一串 32 位以上的随机字符），并把它告诉使用者。")
        if len(key) < MIN_KEY_CHARS or len(set(key)) < MIN_KEY_DISTINCT:
            raise InputError(f"访问密钥 {API_KEY_ENV} 太弱（{len(key)} 个字符，{len(set(key))} 种不同字符）："
                             f"对其他计算机提供服务时至少需要 {MIN_KEY_CHARS} 个字符、{MIN_KEY_DISTINCT} 种不同字符。"
                             "可用 python -c \"import secrets; print(secrets.token_urlsafe(32))\" 生成。")
        if not args.certfile and not args.behind_proxy:
            raise InputError("对其他计算机提供服务时必须使用 HTTPS：请给出 --certfile 和 --keyfile，"
                             "或在 HTTPS 反向代理之后运行并加 --behind-proxy。")


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another program already listens on, with a Chinese message, before
    the workers start (uvicorn would only log an English error)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(f"无法解析监听地址：{host}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except PermissionError:
            raise InputError(f"没有权限监听端口 {port}（1024 以下的端口需要管理员权限）：请换一个端口，例如 --port 8000。") from None
        except OSError as e:
            raise InputError(f"无法监听 {host}:{port}：端口已被其他程序占用，或地址不属于本机（{e.strerror}）。"
                             "请换一个端口，例如 --port 8001。") from None


def run(args) -> int:
    check_args(args)
    check_port_free(args.host, args.port)
    import importlib.util

    if importlib.util.find_spec("xlwings_server") is None or importlib.util.find_spec("uvicorn") is None:
        raise InputError("未安装 xlwings Server：请运行 pip install 'nianbao[server]'。")
    from ..server.app import configure

    environment = "dev" if args.dev else "prod"
    os.environ["NIANBAO_ENVIRONMENT"] = environment  # read by each worker (addin.server.asgi)
    configure(environment)  # before xlwings Server is imported: it reads these once
    import uvicorn

    scheme = "https" if args.certfile else "http"
    print(f"年报助手 xlwings Server：{scheme}://{args.host}:{args.port}/  清单：{scheme}://{args.host}:{args.port}/manifest/download",
          file=sys.stderr)
    if scheme == "http":
        print("注意：HTTP 仅供本机开发测试，Office.js 加载项需要 HTTPS。", file=sys.stderr)
    uvicorn.run("addin.server.asgi:app", host=args.host, port=args.port, workers=args.workers,
                ssl_certfile=args.certfile, ssl_keyfile=args.keyfile, log_level="warning",
                proxy_headers=args.behind_proxy)
    return 0
