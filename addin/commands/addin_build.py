"""``nianbao addin build``: build the desktop Excel add-in (.xlam) from xlwings' ribbon add-in."""

from __future__ import annotations

from pathlib import Path

DESCRIPTION = ("由 xlwings 自带的功能区加载项（quickstart_addin_ribbon.xlam）生成“年报助手”桌面加载项 nianbao.xlam："
               "“政务公开年报”选项卡（校验、清除标记、导出报告、填写说明），每个按钮调用各自的 Python 函数。\n"
               "在任何系统上都可构建（不需要 Excel）；结果可重现，与仓库中 workbook_templates/nianbao.xlam 逐字节相同。")
DEFAULT = Path("workbook_templates") / "nianbao.xlam"


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="addin_command", metavar="<子命令>", required=True)
    b = sub.add_parser("build", help="构建 nianbao.xlam", description=DESCRIPTION)
    b.add_argument("-o", "--output", default=str(DEFAULT), help=f"输出文件（默认 {DEFAULT}）")
    b.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    b.add_argument("--wps", action="store_true",
                   help="改为构建 WPS 表格加载项：文件夹 nianbao_<版本>、.7z 压缩包、publish.xml 和 jsplugins.xml"
                        "（-o 为输出文件夹，默认 dist/wps；见 docs/wps.md）")
    b.add_argument("--server", default="http://127.0.0.1:8000",
                   help="（--wps）年报助手服务器地址，预填到加载项中（默认 http://127.0.0.1:8000，即本机）")
    b.add_argument("--key", default="", help="（--wps）访问密钥，预填到加载项中（默认不填，由使用者在“服务器设置”中填写）")
    b.add_argument("--publish-url", help="（--wps）内网上存放 .7z 压缩包的地址，写入 jsplugins.xml")
    f = sub.add_parser("config", help="生成加载项的设置文件 nianbao.conf（服务器地址、访问密钥、Python 位置）",
                       description="生成 nianbao.conf，放到每台电脑的 %USERPROFILE%\\.nianbao\\ 下"
                                   "（或年报工作簿所在的文件夹）。格式和编码按 Excel 读取它的方式写出"
                                   "（每行 \"键\",\"值\"；中文按 GBK）。见 docs/excel-addin.md 第 2.2 节。")
    f.add_argument("--server", metavar="URL", help="服务器模式：nianbao serve 的地址，如 https://nianbao.example.gov.cn:8443")
    f.add_argument("--key", help="服务器模式：访问密钥（服务器的 NIANBAO_API_KEY）")
    f.add_argument("--interpreter", metavar="PATH", help="Windows 上 Python 解释器的路径（不在默认位置时）")
    f.add_argument("-o", "--output", default="nianbao.conf", help="输出文件（默认 nianbao.conf）")
    f.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    c = sub.add_parser("check", help="检查已构建的加载项：功能区、VBA 过程、xlwings 版本、服务器模式模块、调用解析、配置表")
    c.add_argument("file", nargs="?", help="加载项文件（默认为随年报助手安装的 nianbao.xlam）")


def run(args) -> int:
    import importlib.util

    if args.addin_command == "build" and args.wps:
        from ..wps import build as build_wps

        out = build_wps(Path("dist/wps" if args.output == str(DEFAULT) else args.output), server=args.server,
                        key=args.key, publish_url=args.publish_url, force=args.force)
        for p in out.values():
            print(f"已生成：{p}")
        if not args.publish_url:
            print("注意：jsplugins.xml 中压缩包的地址是占位符；内网统一分发时请加 --publish-url 重新构建（见 docs/wps.md）。")
        return 0

    from ..errors import InputError

    if args.addin_command == "config":
        return _config(args)
    if importlib.util.find_spec("oletools") is None:
        raise InputError("构建和检查加载项需要 oletools（读取 VBA）：pip install 'nianbao[test]' 或 pip install oletools")
    if args.addin_command == "build":
        from ..excel.addin_build import build

        out = build(Path(args.output), force=args.force)
        print(f"已生成：{out}")
        return 0
    from ..excel.addin_check import check

    from ..resources import templates_dir

    problems = check(Path(args.file) if args.file else templates_dir() / "nianbao.xlam")
    for p in problems:
        print(p)
    print("检查通过。" if not problems else f"发现 {len(problems)} 个问题。")
    return 1 if problems else 0


def _config(args) -> int:
    from ..errors import InputError
    from ..excel.xlwings_config import write_file
    from ..writers.atomic import write_bytes_atomic

    settings = {}
    if args.server:
        if not args.server.startswith(("https://", "http://")):
            raise InputError(f"--server 应是 https://主机:端口 形式的地址：{args.server}")
        settings["NIANBAO_SERVER"] = args.server.rstrip("/")
    if args.key:
        settings["NIANBAO_KEY"] = args.key
    if args.interpreter:
        settings["INTERPRETER_WIN"] = args.interpreter
    if not settings:
        raise InputError("没有要写的设置：请给出 --server、--key 或 --interpreter")
    try:
        text = write_file(settings)
        data = text.encode("gbk")  # Excel reads the file in the ANSI code page: GBK on Chinese Windows
    except (ValueError, UnicodeEncodeError) as e:
        raise InputError(f"设置值无法写入 nianbao.conf：{e}") from None
    out = write_bytes_atomic(Path(args.output), data, force=args.force)
    print(f"已生成：{out}（{'、'.join(settings)}）")
    return 0
