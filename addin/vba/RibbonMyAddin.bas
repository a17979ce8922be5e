Attribute VB_Name = "RibbonMyAddin"
' Ribbon callbacks of the nianbao add-in (tab in customUI.xml, built by 'nianbao addin build').
' Source of truth: addin/vba/RibbonMyAddin.bas in the nianbao repository. The build writes it
' into the VBA project of xlwings' quickstart ribbon add-in; Excel compiles it when it loads.
' Each button runs its own Python function in addin/excel/desktop.py through xlwings RunPython.
' ASCII only: the VBA project stores source in its code page (1252).
Option Explicit

Private Sub RunNianbao(ByVal action As String)
    RunPython "import addin.excel.desktop as nianbao_desktop; nianbao_desktop.run('" & action & "')"
End Sub

Sub NianbaoValidate(control As IRibbonControl)
    RunNianbao "validate"
End Sub

Sub NianbaoClearMarks(control As IRibbonControl)
    RunNianbao "clear_marks"
End Sub

Sub NianbaoExport(control As IRibbonControl)
    RunNianbao "export_report"
End Sub

Sub NianbaoHelp(control As IRibbonControl)
    RunNianbao "show_help"
End Sub

' Kept from the quickstart add-in: the original single button's callback.
Sub RunMain(control As IRibbonControl)
    RunNianbao "validate"
End Sub
