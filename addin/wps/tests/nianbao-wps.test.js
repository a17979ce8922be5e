// Node's built-in test runner: the WPS add-in against the stand-in object model.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../js/nianbao-wps.js");
const { createModel } = require("./wps-model.js");

function book() {
  return createModel({
    name: "年报.xlsx",
    sheets: [
      { name: "表三", cells: { A1: "表三", B2: 12, C2: -2146826281, D3: true }, fills: { B2: "#DDEBF7" } },
      { name: "校验结果", cells: { A1: "级别", B1: "消息" } },
      { name: "空表" },
    ],
    names: [
      { name: "NB.t3.x", refers_to: "='表三'!$B$2" },
      { name: "NB.results", refers_to: "='校验结果'!$A$1" },
      { name: "NB.gone", refers_to: "=#REF!$B$2" },
      { name: "NB.local", refers_to: "='表三'!$D$3", scope: "表三" },
    ],
  });
}

const at = (sheet, row, col, rows = 1, cols = 1) => ({
  sheet_position: sheet, start_row: row, start_column: col, row_count: rows, column_count: cols,
});

test("colours: hex <-> Interior.Color (BGR)", () => {
  assert.equal(core.hexToColor("#FF0000"), 255);
  assert.equal(core.hexToColor("#0000FF"), 255 * 65536);
  assert.equal(core.colorToHex(core.hexToColor("#FFC7CE")), "#FFC7CE");
  assert.throws(() => core.hexToColor("red"), /颜色值无效/);
});

test("the book JSON: names with scope and broken ones, values with error texts, empty sheets", () => {
  const m = book();
  const payload = core.readBook(m.application, "0.37.8");
  assert.equal(payload.client, "WPS");
  assert.equal(payload.version, "0.37.8");
  assert.deepEqual(payload.book, { name: "年报.xlsx", active_sheet_index: 0, selection: "A1", calculation: "automatic" });
  assert.deepEqual(payload.sheets.map((s) => s.name), ["表三", "校验结果", "空表"]);
  assert.deepEqual(payload.sheets[0].values, [["表三", "", "", ""], ["", 12, "#DIV/0!", ""], ["", "", "", true]]);
  assert.equal(payload.sheets[0].used_range_address, "A1:D3");
  assert.deepEqual(payload.sheets[2].values, [[]]);
  assert.equal(payload.sheets[2].used_range_address, null);
  const byName = Object.fromEntries(payload.names.map((n) => [n.name, n]));
  assert.deepEqual(byName["NB.t3.x"], {
    name: "NB.t3.x", refers_to: "='表三'!$B$2", type: "Range", sheet_index: 0, address: "B2",
    scope_sheet_name: null, scope_sheet_index: null, book_scope: true,
  });
  assert.equal(byName["NB.gone"].type, "Error");
  assert.equal(byName["NB.gone"].address, null);
  assert.equal(byName["NB.local"].book_scope, false);
  assert.equal(byName["NB.local"].scope_sheet_index, 0);
  assert.equal(byName["NB.local"].address, "D3");
});

test("every action the macros emit is applied and reads back", () => {
  const m = book();
  const app = m.application;
  const alerts = core.applyActions(app, {
    actions: [
      { func: "setValues", ...at(1, 1, 0, 2, 2), values: [["错误", "表三相差 1"], ["警告", null]], args: [null] },
      { func: "setRangeColor", ...at(1, 1, 0), args: ["#FFC7CE"] },
      { func: "setRangeColor", ...at(0, 1, 1), args: [null] },
      { func: "setWrapText", ...at(1, 1, 1, 2, 1), args: true },
      { func: "setColumnHidden", ...at(1, 0, 7), args: [true] },
      { func: "namesAdd", sheet_position: null, args: ["NB.marks", "='校验结果'!$H$1"] },
      { func: "namesAdd", sheet_position: 0, args: ["NB.here", "='表三'!$A$1"] },
      { func: "setNumberFormat", ...at(0, 1, 1), args: ["0"] },
      { func: "activateSheet", args: [1] },
      { func: "alert", args: ["校验通过", "年报助手", "ok", "info", ""] },
    ],
  }, { alert: () => {} });
  const wb = app.ActiveWorkbook;
  const results = wb.Worksheets.Item(2);
  assert.equal(results.Range("A2").Value2, "错误");
  assert.equal(results.Range("B2").Value2, "表三相差 1");
  assert.equal(results.Range("B3").Value2, undefined);
  assert.equal(results.Range("A2").Interior.Color, core.hexToColor("#FFC7CE"));
  assert.equal(wb.Worksheets.Item(1).Range("B2").Interior.ColorIndex, -4142);
  assert.equal(results.Range("B2:B3").WrapText, true);
  assert.equal(results.Range("H1").EntireColumn.Hidden, true);
  assert.equal(wb.Worksheets.Item(1).Range("B2").NumberFormat, "0");
  assert.equal(wb.ActiveSheet.Name, "校验结果");
  const names = m.dump().names;
  assert.deepEqual(names.find((n) => n.name === "NB.marks"), { name: "NB.marks", refers_to: "='校验结果'!$H$1", scope: null });
  assert.equal(names.find((n) => n.name === "NB.here").scope, "表三");
  assert.deepEqual(alerts, [{ prompt: "校验通过", title: "年报助手", buttons: "ok", mode: "info" }]);

  core.applyActions(app, { actions: [{ func: "rangeClearContents", ...at(1, 1, 0, 2, 2), args: [] }] });
  assert.equal(results.Range("A2").Value2, undefined);
  assert.equal(results.Range("A2").Interior.Color, core.hexToColor("#FFC7CE")); // contents only
  core.applyActions(app, { actions: [{ func: "rangeClear", ...at(1, 1, 0), args: [] }] });
  assert.equal(results.Range("A2").Interior.ColorIndex, -4142);
});

test("an action this add-in does not know stops with a Chinese message", () => {
  const m = book();
  assert.throws(() => core.applyActions(m.application, { actions: [{ func: "addChart", args: [] }] }),
    /不支持服务器返回的操作“addChart”/);
});

test("the stand-in is strict: a member WPS does not publish throws", () => {
  const m = book();
  const ws = m.application.ActiveWorkbook.Worksheets.Item(1);
  assert.throws(() => ws.Range("A1").Values, /has no member "Values"/);
  assert.throws(() => { ws.Range("A1").Interior.color = 1; }, /has no member "color"/);
});

test("settings: defaults, saved values, bad addresses refused", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) || null, setItem: (k, v) => store.set(k, v) };
  assert.deepEqual(core.loadSettings(storage, { server: "https://srv.example:8443/", key: "k1" }),
    { server: "https://srv.example:8443", key: "k1" });
  core.saveSettings(storage, { server: "http://10.0.0.5:8000", key: " abc " });
  assert.deepEqual(core.loadSettings(storage, { server: "https://srv.example:8443" }), { server: "http://10.0.0.5:8000", key: "abc" });
  assert.throws(() => core.saveSettings(storage, { server: "srv.example" }), /http:\/\//);
});

function response(status, body) {
  return { ok: status < 300, status: status, text: async () => JSON.stringify(body) };
}

test("client: key sent, server messages shown, one click at a time", async () => {
  const m = book();
  const shown = [];
  const sent = [];
  let release;
  const client = core.createClient({
    app: m.application,
    fetch: (url, options) => {
      sent.push({ url, options });
      return new Promise((resolve) => { release = resolve; });
    },
    settings: () => ({ server: "http://127.0.0.1:9", key: "secret" }),
    ui: { alert: (text, title, mode) => shown.push([text, mode]) },
    version: "0.37.8",
  });
  const first = client.runScript("validate");
  await client.runScript("validate"); // second click while the first waits
  assert.deepEqual(shown, [[core.BUSY_MESSAGE, "info"]]);
  await new Promise((r) => setImmediate(r));
  release(response(401, { detail: "访问密钥不正确" }));
  await first;
  assert.equal(sent.length, 1);
  assert.equal(sent[0].url, "http://127.0.0.1:9/xlwings/custom-scripts-call/validate");
  assert.equal(sent[0].options.headers.Authorization, "Bearer secret");
  assert.equal(JSON.parse(sent[0].options.body).client, "WPS");
  assert.deepEqual(shown[1], ["访问密钥不正确", "critical"]);
  assert.equal(client.isBusy(), false);
});

test("client: an unreachable server gets a message naming it", async () => {
  const m = book();
  const shown = [];
  const client = core.createClient({
    app: m.application,
    fetch: async () => { throw new TypeError("fetch failed"); },
    settings: () => ({ server: "https://srv.example:8443", key: "" }),
    ui: { alert: (text) => shown.push(text) },
    version: "0.37.8",
  });
  await client.runScript("validate");
  assert.match(shown[0], /无法连接年报助手服务器 https:\/\/srv\.example:8443/);
});
