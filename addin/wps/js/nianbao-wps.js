// 年报助手 for WPS 表格: the xlwings remote protocol over the WPS object model.
//
// A click reads the active workbook into the *book JSON* that xlwings' own clients
// send (Office.js getBookData, VBA RunServerPython), posts it to `nianbao serve`
// (/xlwings/custom-scripts-call/<script>), and replays the returned *actions*
// (setValues, setRangeColor, namesAdd, ...) through the WPS object model
// (Application.ActiveWorkbook, Worksheets, Names, Range(...).Value2, Interior.Color),
// which WPS shares with Excel's COM model. No rule lives here: the server runs the
// same macros (addin/excel/macros.py) as for Excel.
//
// Loaded as a classic script by main.js in WPS (defines globalThis.NianbaoWps) and
// required by Node in the tests (module.exports).
(function (root) {
  "use strict";

  const TITLE = "年报助手";
  const BUSY_MESSAGE = "上一次操作仍在进行，请稍候再试。";
  const SETTINGS_STORAGE = "nianbao.wps.settings";
  // Excel/WPS constants (XlCalculation, XlColorIndex, XlSheetVisibility)
  const XL_CALCULATION = { "-4105": "automatic", "-4135": "manual", 2: "semiautomatic" };
  const XL_COLOR_INDEX_NONE = -4142;
  const XL_VISIBILITY = { "-1": "Visible", 0: "Hidden", 2: "VeryHidden" };
  // Value2 of a cell whose formula fails is a COM error code (CVErr); the book JSON
  // carries the text Excel shows, as the Office.js client sends it.
  const CVERR = {
    "-2146826281": "#DIV/0!",
    "-2146826246": "#N/A",
    "-2146826259": "#NAME?",
    "-2146826288": "#NULL!",
    "-2146826252": "#NUM!",
    "-2146826265": "#REF!",
    "-2146826273": "#VALUE!",
  };

  // ---------------------------------------------------------------- helpers

  function first(args) {
    return Array.isArray(args) ? args[0] : args;
  }

  // "#FFC7CE" -> the BGR integer of Interior.Color (RGB(r, g, b) = r + g*256 + b*65536)
  function hexToColor(hex) {
    const h = String(hex).replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(h)) throw new Error("颜色值无效：" + hex);
    const r = parseInt(h.slice(0, 2), 16);
    const g = parseInt(h.slice(2, 4), 16);
    const b = parseInt(h.slice(4, 6), 16);
    return r + g * 256 + b * 65536;
  }

  function colorToHex(color) {
    const c = Number(color);
    const hex = (n) => n.toString(16).padStart(2, "0").toUpperCase();
    return "#" + hex(c & 0xff) + hex((c >> 8) & 0xff) + hex((c >> 16) & 0xff);
  }

  function columnLetter(n) {
    let s = "";
    while (n > 0) {
      const m = (n - 1) % 26;
      s = String.fromCharCode(65 + m) + s;
      n = Math.floor((n - 1) / 26);
    }
    return s;
  }

  function cellValue(v) {
    if (v === undefined || v === null) return "";
    if (typeof v === "number" && CVERR[String(v)]) return CVERR[String(v)];
    if (v instanceof Date) return v.toISOString();
    return v;
  }

  // Range.Value2 is a scalar for one cell and rows of values for a block
  function matrix(value2, rows, cols) {
    let m = value2;
    if (!Array.isArray(m)) m = [[m]];
    else if (rows === 1 && !Array.isArray(m[0])) m = [m];
    const out = [];
    for (let r = 0; r < rows; r++) {
      const row = [];
      for (let c = 0; c < cols; c++) row.push(cellValue(m[r] ? m[r][c] : undefined));
      out.push(row);
    }
    return out;
  }

  function isEmpty(v) {
    return v === undefined || v === null || v === "";
  }

  // ---------------------------------------------------------------- book JSON

  function readNames(wb, sheetNames) {
    const out = [];
    const names = wb.Names;
    for (let i = 1; i <= names.Count; i++) {
      const nm = names.Item(i);
      const full = String(nm.Name);
      const bang = full.lastIndexOf("!");
      let scopeSheet = null;
      let plain = full;
      if (bang > 0) {
        scopeSheet = full.slice(0, bang).replace(/^'(.*)'$/, "$1").replace(/''/g, "'");
        plain = full.slice(bang + 1);
      }
      const refersTo = String(nm.RefersTo || "");
      let range = null;
      try {
        range = refersTo.indexOf("#REF") < 0 ? nm.RefersToRange : null;
      } catch (e) {
        range = null; // a constant, a formula or a broken reference
      }
      const sheetIndex = range ? range.Worksheet.Index - 1 : null;
      out.push({
        name: plain,
        refers_to: refersTo,
        type: range ? "Range" : refersTo.indexOf("#REF") >= 0 ? "Error" : "String",
        sheet_index: sheetIndex,
        address: range ? String(range.Address(false, false)) : null,
        scope_sheet_name: scopeSheet,
        scope_sheet_index: scopeSheet !== null ? sheetNames.indexOf(scopeSheet) : null,
        book_scope: scopeSheet === null,
      });
    }
    return out;
  }

  function readSheet(ws) {
    const used = ws.UsedRange;
    const nrows = used.Row + used.Rows.Count - 1;
    const ncols = used.Column + used.Columns.Count - 1;
    let values = [[]];
    let rows = 0;
    let cols = 0;
    if (!(nrows === 1 && ncols === 1 && isEmpty(ws.Cells(1, 1).Value2))) {
      rows = nrows;
      cols = ncols;
      values = matrix(ws.Range(ws.Cells(1, 1), ws.Cells(rows, cols)).Value2, rows, cols);
    }
    return {
      name: String(ws.Name),
      values: values,
      pictures: [],
      tables: [],
      visibility: XL_VISIBILITY[String(ws.Visible)] || "Visible",
      show_gridlines: true,
      print_area: null,
      notes: [],
      notes_supported: false,
      used_range_address: rows ? "A1:" + columnLetter(cols) + rows : null,
      used_range_row_count: rows,
      used_range_column_count: cols,
      shapes: [],
      charts: [],
      pivot_tables: [],
    };
  }

  // The book JSON of the active workbook, as xlwings' clients send it
  function readBook(app, version) {
    const wb = app.ActiveWorkbook;
    if (!wb) throw new Error("请先打开年报工作簿，再点击按钮。");
    const sheets = [];
    const count = wb.Worksheets.Count;
    for (let i = 1; i <= count; i++) sheets.push(wb.Worksheets.Item(i));
    const sheetNames = sheets.map((ws) => String(ws.Name));
    let selection = null;
    try {
      selection = String(app.Selection.Address(false, false));
    } catch (e) {
      selection = null; // a shape or nothing selected
    }
    return {
      client: "WPS",
      version: version,
      book: {
        name: String(wb.Name),
        active_sheet_index: wb.ActiveSheet.Index - 1,
        selection: selection,
        calculation: XL_CALCULATION[String(app.Calculation)] || "automatic",
      },
      names: readNames(wb, sheetNames),
      sheets: sheets.map(readSheet),
    };
  }

  // ---------------------------------------------------------------- actions

  function sheetOf(wb, action) {
    return wb.Worksheets.Item(action.sheet_position + 1);
  }

  function rangeOf(wb, action) {
    const ws = sheetOf(wb, action);
    const top = action.start_row + 1;
    const left = action.start_column + 1;
    return ws.Range(ws.Cells(top, left), ws.Cells(top + action.row_count - 1, left + action.column_count - 1));
  }

  // Each cell on its own: WPS and Excel both take a scalar, whatever their array support
  function eachCell(wb, action, fn) {
    const ws = sheetOf(wb, action);
    for (let r = 0; r < action.row_count; r++) {
      for (let c = 0; c < action.column_count; c++) {
        fn(ws.Cells(action.start_row + r + 1, action.start_column + c + 1), r, c);
      }
    }
  }

  const ACTIONS = {
    setValues(wb, a) {
      eachCell(wb, a, (cell, r, c) => {
        const v = a.values[r][c];
        if (v === null || v === "") cell.ClearContents();
        else cell.Value2 = v;
      });
    },
    setRangeColor(wb, a) {
      const color = first(a.args);
      const interior = rangeOf(wb, a).Interior;
      if (color === null || color === undefined) interior.ColorIndex = XL_COLOR_INDEX_NONE;
      else interior.Color = hexToColor(color);
    },
    setWrapText(wb, a) {
      rangeOf(wb, a).WrapText = Boolean(first(a.args));
    },
    setColumnHidden(wb, a) {
      rangeOf(wb, a).EntireColumn.Hidden = Boolean(first(a.args));
    },
    setRowHidden(wb, a) {
      rangeOf(wb, a).EntireRow.Hidden = Boolean(first(a.args));
    },
    setNumberFormat(wb, a) {
      rangeOf(wb, a).NumberFormat = String(first(a.args));
    },
    setColumnWidth(wb, a) {
      // xlwings sends points; ColumnWidth counts characters of the default font (about 7 points each)
      rangeOf(wb, a).ColumnWidth = Number(first(a.args)) / 7;
    },
    setFontProperty(wb, a) {
      const prop = { bold: "Bold", italic: "Italic", size: "Size", name: "Name", color: "Color" }[a.args[0]];
      if (!prop) throw new Error("不支持的字体属性：" + a.args[0]);
      const font = rangeOf(wb, a).Font;
      font[prop] = prop === "Color" ? hexToColor(a.args[1]) : a.args[1];
    },
    rangeClearContents(wb, a) {
      rangeOf(wb, a).ClearContents();
    },
    rangeClearFormats(wb, a) {
      rangeOf(wb, a).ClearFormats();
    },
    rangeClear(wb, a) {
      rangeOf(wb, a).Clear();
    },
    rangeSelect(wb, a) {
      sheetOf(wb, a).Activate();
      rangeOf(wb, a).Select();
    },
    setAutofit(wb, a) {
      const rng = rangeOf(wb, a);
      if (first(a.args) === "columns") rng.Columns.AutoFit();
      else rng.Rows.AutoFit();
    },
    activateSheet(wb, a) {
      wb.Worksheets.Item(Number(first(a.args)) + 1).Activate();
    },
    namesAdd(wb, a) {
      const target = a.sheet_position === null || a.sheet_position === undefined ? wb : sheetOf(wb, a);
      target.Names.Add(String(a.args[0]), String(a.args[1]));
    },
    setScreenUpdating(wb, a, ctx) {
      ctx.app.ScreenUpdating = Boolean(first(a.args));
    },
    alert(wb, a, ctx) {
      ctx.alerts.push({ prompt: a.args[0], title: a.args[1], buttons: a.args[2], mode: a.args[3] });
      if (ctx.ui && ctx.ui.alert) ctx.ui.alert(String(a.args[0]), String(a.args[1] || TITLE), String(a.args[3] || "info"));
    },
  };

  // Replay the actions xlwings returned; returns the message boxes shown
  function applyActions(app, result, ui) {
    const actions = (result && result.actions) || [];
    const wb = app.ActiveWorkbook;
    const ctx = { app: app, ui: ui, alerts: [] };
    for (const a of actions) {
      const fn = ACTIONS[a.func];
      if (!fn) {
        throw new Error("此版本的 WPS 加载项不支持服务器返回的操作“" + a.func + "”。请更新年报助手 WPS 加载项。");
      }
      fn(wb, a, ctx);
    }
    return ctx.alerts;
  }

  // ---------------------------------------------------------------- server

  function normalizeServer(url) {
    const u = String(url || "").trim().replace(/\/+$/, "");
    if (!/^https?:\/\/[^\s/]+/.test(u)) return null;
    return u;
  }

  function loadSettings(storage, defaults) {
    const d = defaults || {};
    let saved = {};
    try {
      saved = JSON.parse((storage && storage.getItem(SETTINGS_STORAGE)) || "{}") || {};
    } catch (e) {
      saved = {};
    }
    return {
      server: normalizeServer(saved.server) || normalizeServer(d.server) || "http://127.0.0.1:8000",
      key: typeof saved.key === "string" ? saved.key : d.key || "",
    };
  }

  function saveSettings(storage, settings) {
    const server = normalizeServer(settings.server);
    if (!server) throw new Error("服务器地址应以 http:// 或 https:// 开头，例如 https://nianbao.example.gov.cn:8443");
    storage.setItem(SETTINGS_STORAGE, JSON.stringify({ server: server, key: String(settings.key || "").trim() }));
    return { server: server, key: String(settings.key || "").trim() };
  }

  async function post(fetchFn, settings, path, payload) {
    const headers = { "Content-Type": "application/json" };
    if (settings.key) headers["Authorization"] = "Bearer " + settings.key;
    let response;
    try {
      response = await fetchFn(settings.server + path, { method: "POST", headers: headers, body: JSON.stringify(payload) });
    } catch (e) {
      throw new Error("无法连接年报助手服务器 " + settings.server + "。请检查“服务器设置”中的地址，或联系管理员确认服务已启动。");
    }
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const detail = data && (data.detail || data.error);
      if (response.status === 401) throw new Error(detail || "访问密钥不正确：请在“服务器设置”中填写管理员提供的访问密钥。");
      throw new Error((detail && String(detail)) || "服务器返回错误 " + response.status + "。");
    }
    return data;
  }

  // One operation at a time; every failure becomes one Chinese message box
  function createClient({ app, fetch, settings, ui, version }) {
    let busy = false;
    async function exclusive(task) {
      if (busy) {
        ui.alert(BUSY_MESSAGE, TITLE, "info");
        return null;
      }
      busy = true;
      try {
        return await task();
      } catch (e) {
        ui.alert(String((e && e.message) || e), TITLE, "critical");
        return null;
      } finally {
        busy = false;
      }
    }
    function runScript(script) {
      return exclusive(async () => {
        const s = settings();
        const payload = readBook(app, version);
        const result = await post(fetch, s, "/xlwings/custom-scripts-call/" + script, payload);
        const screen = app.ScreenUpdating;
        app.ScreenUpdating = false;
        try {
          return applyActions(app, result, ui);
        } finally {
          app.ScreenUpdating = screen;
        }
      });
    }
    // 导出报告: the server builds the report files into a zip and returns a one-time address
    function exportReport() {
      return exclusive(async () => {
        const s = settings();
        const result = await post(fetch, s, "/nianbao/export", readBook(app, version));
        const url = s.server.replace(/^(https?:\/\/[^/]+).*$/, "$1") + result.url;
        ui.open(url);
        ui.alert("已生成：" + result.files.join("、") + "\n下载将在浏览器中打开（链接 5 分钟内有效）。", TITLE, "info");
        return result;
      });
    }
    return { runScript: runScript, exportReport: exportReport, isBusy: () => busy };
  }

  const api = {
    TITLE,
    BUSY_MESSAGE,
    SETTINGS_STORAGE,
    hexToColor,
    colorToHex,
    columnLetter,
    matrix,
    readBook,
    applyActions,
    ACTIONS,
    loadSettings,
    saveSettings,
    normalizeServer,
    post,
    createClient,
  };
  root.NianbaoWps = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
