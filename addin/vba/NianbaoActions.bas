Attribute VB_Name = "NianbaoActions"
' Actions of xlwings' remote protocol that nianbao's macros (addin/excel/macros.py) emit
' and xlwings' VBA client (module Remote, RunServerPython) does not implement. Remote runs
' each returned action as Application.Run action("func"), wb, action, so a Public Sub of
' that name and signature in any module of the add-in serves it. Source of truth:
' addin/vba/NianbaoActions.bas; the build adds it as a new module. Checked by
' tests/test_addin_server_mode.py against the actions a real 'nianbao serve' returns.
Option Explicit

' range.wrap_text = True (the message column of the results sheet)
Sub setWrapText(wb As Workbook, action As Dictionary)
    GetRange(wb, action).WrapText = action("args")(1)
End Sub

' range.column_hidden = True/False
Sub setColumnHidden(wb As Workbook, action As Dictionary)
    GetRange(wb, action).EntireColumn.Hidden = action("args")(1)
End Sub
