// A recording stand-in of the WPS 表格 object model (the ET JSAPI, which follows
// Excel's COM model), for testing the add-in under Node.
//
// Only members WPS publishes are defined, with their published names (Application.
// ActiveWorkbook, Workbook.Worksheets/Names, Worksheet.UsedRange/Range/Cells,
// Range.Value2/Interior.Color/WrapText/EntireColumn.Hidden/ClearContents, Names.Add,
// Name.RefersTo/RefersToRange ...). Every object is wrapped in a strict proxy: reading
// or writing any other member throws, so a misspelt or invented member fails the test
// instead of passing silently. Every write is recorded in `model.log`.
"use strict";

const MEMBERS = {
  Application: ["ActiveWorkbook", "Calculation", "ScreenUpdating", "Selection", "Name"],
  Workbook: ["Name", "FullName", "Worksheets", "Names", "ActiveSheet", "Application"],
  Sheets: ["Count", "Item"],
  Worksheet: ["Name", "Index", "Visible", "UsedRange", "Range", "Cells", "Activate", "Names", "Parent"],
  Range: ["Row", "Column", "Rows", "Columns", "Count", "Value2", "Interior", "WrapText", "EntireColumn",
    "EntireRow", "Hidden", "ClearContents", "ClearFormats", "Clear", "Address", "Worksheet", "Select",
    "NumberFormat", "ColumnWidth", "Font", "AutoFit"],
  Interior: ["Color", "ColorIndex", "Pattern"],
  Font: ["Bold", "Italic", "Size", "Name", "Color"],
  Names: ["Count", "Item", "Add"],
  Name: ["Name", "RefersTo", "RefersToRange", "Parent", "Delete", "Visible"],
};

function strict(kind, target) {
  const allowed = new Set(MEMBERS[kind]);
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === "symbol" || prop === "then" || prop === "toJSON") return undefined;
      if (!allowed.has(prop)) throw new TypeError(`WPS ${kind} has no member "${String(prop)}"`);
      return t[prop];
    },
    set(t, prop, value) {
      if (!allowed.has(prop)) throw new TypeError(`WPS ${kind} has no member "${String(prop)}"`);
      t[prop] = value;
      return true;
    },
  });
}

function colNumber(letters) {
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

function colLetters(n) {
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function parseCell(a1) {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(a1);
  if (!m) throw new Error("bad address " + a1);
  return [Number(m[2]), colNumber(m[1])];
}

// "='表 三'!$D$6" -> ["表 三", "$D$6"], null for anything else
function parseRefersTo(text) {
  const m = /^=(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$/.exec(text);
  if (!m) return null;
  return [(m[1] || m[2]).replace(/''/g, "'"), m[3]];
}

const XL_NONE = -4142;

// Build the model from a plain description:
// {name, sheets: [{name, cells: {A1: v}, fills: {A1: "#RRGGBB"}}], names: [{name, refers_to, scope}], active}
function createModel(desc) {
  const log = [];
  const book = { name: desc.name, active: desc.active || 0, sheets: [], names: [] };
  for (const s of desc.sheets) {
    book.sheets.push({
      name: s.name,
      visible: s.visible === undefined ? -1 : s.visible,
      cells: new Map(Object.entries(s.cells || {})),
      fills: new Map(Object.entries(s.fills || {}).map(([k, v]) => [k, toBgr(v)])),
      wrap: new Map(),
      hiddenCols: new Set(),
      formats: new Map(),
    });
  }
  for (const n of desc.names || []) book.names.push({ name: n.name, refersTo: n.refers_to, scope: n.scope || null });

  function toBgr(hex) {
    const h = hex.replace("#", "");
    return parseInt(h.slice(0, 2), 16) + parseInt(h.slice(2, 4), 16) * 256 + parseInt(h.slice(4, 6), 16) * 65536;
  }

  const app = {};
  let screenUpdating = true;

  function sheetIndex(sheet) {
    return book.sheets.indexOf(sheet) + 1;
  }

  function makeRange(sheet, r1, c1, r2, c2) {
    if (r2 < r1) [r1, r2] = [r2, r1];
    if (c2 < c1) [c1, c2] = [c2, c1];
    const where = `${sheet.name}!${colLetters(c1)}${r1}` + (r1 === r2 && c1 === c2 ? "" : `:${colLetters(c2)}${r2}`);
    const keys = () => {
      const out = [];
      for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) out.push(colLetters(c) + r);
      return out;
    };
    const single = r1 === r2 && c1 === c2;
    const interior = strict("Interior", {
      get Color() {
        const v = keys().map((k) => sheet.fills.get(k));
        return v.every((x) => x === v[0]) ? (v[0] === undefined ? 16777215 : v[0]) : null;
      },
      set Color(v) {
        if (typeof v !== "number") throw new TypeError("Interior.Color takes a number (BGR)");
        log.push(["Interior.Color", where, v]);
        for (const k of keys()) sheet.fills.set(k, v);
      },
      get ColorIndex() {
        return keys().every((k) => !sheet.fills.has(k)) ? XL_NONE : 0;
      },
      set ColorIndex(v) {
        log.push(["Interior.ColorIndex", where, v]);
        if (v !== XL_NONE) throw new Error("the stand-in models only ColorIndex = xlNone");
        for (const k of keys()) sheet.fills.delete(k);
      },
      get Pattern() {
        return this.ColorIndex === XL_NONE ? XL_NONE : 1;
      },
      set Pattern(v) {
        log.push(["Interior.Pattern", where, v]);
        if (v === XL_NONE) for (const k of keys()) sheet.fills.delete(k);
      },
    });
    const target = {
      Row: r1,
      Column: c1,
      Rows: strict("Range", { Count: r2 - r1 + 1, AutoFit() { log.push(["Rows.AutoFit", where]); } }),
      Columns: strict("Range", { Count: c2 - c1 + 1, AutoFit() { log.push(["Columns.AutoFit", where]); } }),
      Count: (r2 - r1 + 1) * (c2 - c1 + 1),
      get Value2() {
        if (single) return sheet.cells.get(colLetters(c1) + r1);
        const rows = [];
        for (let r = r1; r <= r2; r++) {
          const row = [];
          for (let c = c1; c <= c2; c++) row.push(sheet.cells.get(colLetters(c) + r));
          rows.push(row);
        }
        return rows;
      },
      set Value2(v) {
        log.push(["Value2", where, v]);
        if (Array.isArray(v)) throw new Error("the add-in writes cell by cell");
        for (const k of keys()) {
          if (v === "" || v === null || v === undefined) sheet.cells.delete(k);
          else sheet.cells.set(k, v);
        }
      },
      Interior: interior,
      get WrapText() {
        return keys().every((k) => sheet.wrap.get(k));
      },
      set WrapText(v) {
        if (typeof v !== "boolean") throw new TypeError("WrapText takes a boolean");
        log.push(["WrapText", where, v]);
        for (const k of keys()) sheet.wrap.set(k, v);
      },
      get EntireColumn() {
        return strict("Range", {
          get Hidden() {
            for (let c = c1; c <= c2; c++) if (!sheet.hiddenCols.has(c)) return false;
            return true;
          },
          set Hidden(v) {
            log.push(["EntireColumn.Hidden", where, v]);
            for (let c = c1; c <= c2; c++) {
              if (v) sheet.hiddenCols.add(c);
              else sheet.hiddenCols.delete(c);
            }
          },
        });
      },
      set NumberFormat(v) {
        log.push(["NumberFormat", where, v]);
        for (const k of keys()) sheet.formats.set(k, v);
      },
      get NumberFormat() {
        return sheet.formats.get(colLetters(c1) + r1) || "General";
      },
      ClearContents() {
        log.push(["ClearContents", where]);
        for (const k of keys()) sheet.cells.delete(k);
      },
      ClearFormats() {
        log.push(["ClearFormats", where]);
        for (const k of keys()) {
          sheet.fills.delete(k);
          sheet.wrap.delete(k);
          sheet.formats.delete(k);
        }
      },
      Clear() {
        this.ClearContents();
        this.ClearFormats();
      },
      Address(rowAbsolute = true, columnAbsolute = true) {
        const a = (r, c) => (columnAbsolute ? "$" : "") + colLetters(c) + (rowAbsolute ? "$" : "") + r;
        return single ? a(r1, c1) : a(r1, c1) + ":" + a(r2, c2);
      },
      get Worksheet() {
        return worksheet(sheet);
      },
      Select() {
        log.push(["Select", where]);
      },
    };
    return strict("Range", target);
  }

  function resolve(sheet, arg) {
    if (typeof arg === "string") {
      const [a, b] = arg.split(":");
      const [r1, c1] = parseCell(a);
      const [r2, c2] = b ? parseCell(b) : [r1, c1];
      return [r1, c1, r2, c2];
    }
    return [arg.Row, arg.Column, arg.Row + arg.Rows.Count - 1, arg.Column + arg.Columns.Count - 1];
  }

  function usedRange(sheet) {
    let maxR = 0;
    let maxC = 0;
    let minR = Infinity;
    let minC = Infinity;
    for (const k of new Set([...sheet.cells.keys(), ...sheet.fills.keys()])) {
      const [r, c] = parseCell(k);
      maxR = Math.max(maxR, r);
      maxC = Math.max(maxC, c);
      minR = Math.min(minR, r);
      minC = Math.min(minC, c);
    }
    if (!maxR) return makeRange(sheet, 1, 1, 1, 1);
    return makeRange(sheet, minR, minC, maxR, maxC);
  }

  function nameObject(entry) {
    return strict("Name", {
      get Name() {
        if (!entry.scope) return entry.name;
        return (/^[A-Za-z0-9_\u4e00-\u9fff]+$/.test(entry.scope) ? entry.scope : `'${entry.scope}'`) + "!" + entry.name;
      },
      get RefersTo() {
        return entry.refersTo;
      },
      get RefersToRange() {
        const ref = parseRefersTo(entry.refersTo);
        const sheet = ref && book.sheets.find((s) => s.name === ref[0]);
        if (!sheet) throw new Error("Name.RefersToRange: not a range (" + entry.refersTo + ")");
        const [r1, c1, r2, c2] = resolve(sheet, ref[1].replace(/\$/g, ""));
        return makeRange(sheet, r1, c1, r2, c2);
      },
      get Parent() {
        return entry.scope ? worksheet(book.sheets.find((s) => s.name === entry.scope)) : workbook;
      },
      Visible: true,
      Delete() {
        log.push(["Name.Delete", entry.name]);
        book.names.splice(book.names.indexOf(entry), 1);
      },
    });
  }

  function namesCollection(scope) {
    const list = () => book.names.filter((n) => (scope === null ? true : n.scope === scope));
    return strict("Names", {
      get Count() {
        return list().length;
      },
      Item(i) {
        const entry = list()[i - 1];
        if (!entry) throw new Error("Names.Item: no item " + i);
        return nameObject(entry);
      },
      Add(name, refersTo) {
        if (typeof name !== "string" || typeof refersTo !== "string") throw new TypeError("Names.Add(Name, RefersTo)");
        log.push(["Names.Add", name, refersTo, scope]);
        const old = book.names.find((n) => n.name === name && n.scope === scope);
        if (old) old.refersTo = refersTo;
        else book.names.push({ name: name, refersTo: refersTo, scope: scope });
        return nameObject(book.names.find((n) => n.name === name && n.scope === scope));
      },
    });
  }

  const sheetObjects = new Map();
  function worksheet(sheet) {
    if (!sheetObjects.has(sheet)) {
      sheetObjects.set(sheet, strict("Worksheet", {
        get Name() {
          return sheet.name;
        },
        get Index() {
          return sheetIndex(sheet);
        },
        get Visible() {
          return sheet.visible;
        },
        get UsedRange() {
          return usedRange(sheet);
        },
        Range(a, b) {
          const [r1, c1, r2, c2] = resolve(sheet, a);
          if (b === undefined) return makeRange(sheet, r1, c1, r2, c2);
          const [, , r4, c4] = resolve(sheet, b);
          return makeRange(sheet, Math.min(r1, r4), Math.min(c1, c4), Math.max(r2, r4), Math.max(c2, c4));
        },
        Cells(r, c) {
          if (!(r >= 1 && c >= 1)) throw new RangeError(`Cells(${r}, ${c})`);
          return makeRange(sheet, r, c, r, c);
        },
        Activate() {
          log.push(["Activate", sheet.name]);
          book.active = sheetIndex(sheet) - 1;
        },
        get Names() {
          return namesCollection(sheet.name);
        },
        get Parent() {
          return workbook;
        },
      }));
    }
    return sheetObjects.get(sheet);
  }

  const workbook = strict("Workbook", {
    get Name() {
      return book.name;
    },
    FullName: desc.name,
    Worksheets: strict("Sheets", {
      get Count() {
        return book.sheets.length;
      },
      Item(i) {
        const s = typeof i === "string" ? book.sheets.find((x) => x.name === i) : book.sheets[i - 1];
        if (!s) throw new Error("Worksheets.Item: no sheet " + i);
        return worksheet(s);
      },
    }),
    get Names() {
      return namesCollection(null);
    },
    get ActiveSheet() {
      return worksheet(book.sheets[book.active]);
    },
    get Application() {
      return application;
    },
  });

  const application = strict("Application", Object.assign(app, {
    ActiveWorkbook: workbook,
    Calculation: -4105,
    get ScreenUpdating() {
      return screenUpdating;
    },
    set ScreenUpdating(v) {
      log.push(["ScreenUpdating", v]);
      screenUpdating = v;
    },
    get Selection() {
      return makeRange(book.sheets[book.active], 1, 1, 1, 1);
    },
    Name: "WPS 表格",
  }));

  // The workbook's state, in the same plain form as the description
  function dump() {
    const hex = (bgr) => "#" + [bgr & 0xff, (bgr >> 8) & 0xff, (bgr >> 16) & 0xff]
      .map((n) => n.toString(16).padStart(2, "0").toUpperCase()).join("");
    return {
      name: book.name,
      active: book.active,
      sheets: book.sheets.map((s) => ({
        name: s.name,
        cells: Object.fromEntries(s.cells),
        fills: Object.fromEntries([...s.fills].map(([k, v]) => [k, hex(v)])),
        wrap: [...s.wrap].filter(([, v]) => v).map(([k]) => k),
        hidden_columns: [...s.hiddenCols].map(colLetters),
      })),
      names: book.names.map((n) => ({ name: n.name, refers_to: n.refersTo, scope: n.scope })),
    };
  }

  return { application: application, log: log, dump: dump };
}

module.exports = { createModel, MEMBERS, parseRefersTo };
