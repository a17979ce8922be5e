"""年报助手 (nianbao): statutory tables, validation and report generation for the
政府信息公开工作年度报告 (annual report on government information disclosure).

Data flows one way: a reader turns a source (report JSON, filled workbook, published
report) into a :class:`~addin.model.Report`; :func:`~addin.validate.validate` checks it
against the rule set of its format and returns findings; writers turn the report and
the findings into workbooks, documents and JSON.

Statutory knowledge (tables, labels, cell keys, rules) is data in ``rules/``.
"""

__version__ = "0.1.0"
