Attribute VB_Name = "RibbonMyAddin"
' Ribbon callbacks of the nianbao add-in (tab in customUI.xml, built by 'nianbao addin build').
' Source of truth: addin/vba/RibbonMyAddin.bas in the nianbao repository. The build writes it
' into the VBA project of xlwings' quickstart ribbon add-in; Excel compiles it when it loads.
' The project stores source in code page 1252: the build turns the Chinese in each string
' literal into a call of Zh (below) on its hex UTF-16 code units; comments and identifiers
' stay ASCII.
'
' Two modes, chosen per click by the setting NIANBAO_SERVER (xlwings' GetConfig: a sheet
' nianbao.conf in the open workbook, a file nianbao.conf next to it, then
' %USERPROFILE%\.nianbao\nianbao.conf; the add-in's own sheet does not list it):
' * blank: local Python. Each button runs its own function in addin/excel/desktop.py
'   through xlwings' RunPython.
' * a server address (https://host:port): no Python on this PC. Each button sends the
'   workbook to 'nianbao serve' through xlwings' RunServerPython (module Remote) and
'   applies the actions it returns; NIANBAO_KEY is sent as the Authorization header.
Option Explicit

Private Const SCRIPTS_PATH As String = "/xlwings/custom-scripts-call/"

' Text from hex UTF-16 code units, four digits each ("5E745E74" -> two characters).
Private Function Zh(ByVal units As String) As String
    Dim i As Long
    For i = 1 To Len(units) Step 4
        Zh = Zh & ChrW(CLng("&H" & Mid$(units, i, 4)))
    Next i
End Function

' xlwings' RunPython and RunServerPython read ActiveWorkbook before any error handling:
' with no workbook open (or only one in Protected View) that is VBA runtime error 91.
Private Function NoWorkbook() As Boolean
    If ActiveWorkbook Is Nothing Then
        MsgBox "请先打开年报工作簿，再点击“政务公开年报”选项卡上的按钮。" & vbCrLf & _
            "如果工作簿显示“受保护的视图”，请先点“启用编辑”。", vbExclamation, "年报助手"
        NoWorkbook = True
    End If
End Function

Private Sub RunNianbao(ByVal action As String)
    Dim server As String
    If NoWorkbook() Then Exit Sub
    server = Trim$(GetConfig("NIANBAO_SERVER", ""))
    If server <> "" Then
        RunOnServer server, action
        Exit Sub
    End If
    #If Mac Then
    If GetConfig("INTERPRETER_MAC", "") = "" Then
        MsgBox "没有找到 Python：请在 ~/Library/Containers/com.microsoft.Excel/Data/nianbao.conf 中写一行" & _
            vbCrLf & """INTERPRETER_MAC"",""$HOME/nianbao/venv/bin/python""", vbExclamation, "年报助手"
        Exit Sub
    End If
    #End If
    RunPython "import addin.excel.desktop as nianbao_desktop; nianbao_desktop.run('" & action & "')"
End Sub

' Server mode: the same button as an xlwings script of 'nianbao serve'.
Private Sub RunOnServer(ByVal server As String, ByVal action As String)
    Dim key As String
    If action = "export_report" Then
        MsgBox "服务器模式下不能把报告写到本机文件夹：请用浏览器打开 " & server & "/ ，上传工作簿后下载报告。", _
            vbInformation, "年报助手"
        Exit Sub
    End If
    If Right$(server, 1) = "/" Then server = Left$(server, Len(server) - 1)
    key = GetConfig("NIANBAO_KEY", "")
    On Error GoTo failed
    RunServerPython server & SCRIPTS_PATH & action, auth:=key
    Exit Sub
failed:
    MsgBox "无法连接年报助手服务器 " & server & "：" & Err.Description & vbCrLf & _
        "请检查 nianbao.conf 中的 NIANBAO_SERVER，或联系管理员。", vbCritical, "年报助手"
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
