"""The Excel front ends: macros over an ``xw.Book`` and the bridge that runs them on files.

* :mod:`addin.excel.macros` — 校验, 清除标记, 导出报告, 填写说明, for every route;
* :mod:`addin.excel.desktop` — entry points for the desktop add-in's RunPython calls;
* :mod:`addin.excel.bridge` — openpyxl ↔ xlwings book JSON (file mode and tests);
* :mod:`addin.excel.filemode` — ``nianbao mark``: the same 校验 on a copy of a file.
"""
