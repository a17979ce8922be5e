// The ribbon wiring: ribbon.xml's buttons -> js/ribbon.js's ribbon.OnAction -> a server call,
// run as WPS runs it (main.js's scripts as classic scripts on one global object).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const { createModel } = require("./wps-model.js");

const ROOT = path.join(__dirname, "..");

function load() {
  const model = createModel({ name: "年报.xlsx", sheets: [{ name: "表一", cells: { A1: "x" } }] });
  const calls = [];
  const shown = [];
  const opened = [];
  const store = new Map();
  const answers = ["https://nb.example.gov.cn:8443", "key-1"];
  const sandbox = {
    wps: { EtApplication: () => model.application, OAAssist: { ShellExecute: (url) => opened.push(url) } },
    alert: (text) => shown.push(text),
    prompt: () => answers.shift(),
    localStorage: { getItem: (k) => store.get(k) || null, setItem: (k, v) => store.set(k, v) },
    fetch: async (url, options) => {
      calls.push({ url, options });
      const body = url.endsWith("/nianbao/export")
        ? { url: "/nianbao/download/t", name: "x.zip", files: ["年报-年报.docx"] }
        : { actions: [] };
      return { ok: true, status: 200, text: async () => JSON.stringify(body) };
    },
  };
  sandbox.globalThis = sandbox;
  vm.createContext(sandbox);
  const main = fs.readFileSync(path.join(ROOT, "main.js"), "utf8");
  const scripts = [...main.matchAll(/"(js\/[^"]+\.js)"/g)].map((m) => m[1]);
  assert.deepEqual(scripts, ["js/config.js", "js/nianbao-wps.js", "js/ribbon.js"]);
  for (const s of scripts) vm.runInContext(fs.readFileSync(path.join(ROOT, s), "utf8"), sandbox, { filename: s });
  return { sandbox, calls, shown, opened, store };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

test("every button of ribbon.xml does its job", async () => {
  const xml = fs.readFileSync(path.join(ROOT, "ribbon.xml"), "utf8");
  const ids = [...xml.matchAll(/<button id="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, ["nianbaoValidate", "nianbaoClear", "nianbaoExport", "nianbaoHelp", "nianbaoSettings"]);
  const env = load();
  assert.equal(env.sandbox.ribbon.OnAddinLoad({}), true);
  for (const id of ids) {
    env.sandbox.ribbon.OnAction({ Id: id });
    await settle();
    assert.equal(env.sandbox.ribbon.GetImage({ Id: id }), "images/" + id + ".svg");
  }
  assert.deepEqual(env.calls.map((c) => c.url), [
    "http://127.0.0.1:8000/xlwings/custom-scripts-call/validate",
    "http://127.0.0.1:8000/xlwings/custom-scripts-call/clear_marks",
    "http://127.0.0.1:8000/nianbao/export",
    "http://127.0.0.1:8000/xlwings/custom-scripts-call/show_help",
  ]);
  assert.deepEqual(env.opened, ["http://127.0.0.1:8000/nianbao/download/t"]);
  // 服务器设置 saved the address and key; the next click uses them
  env.sandbox.ribbon.OnAction({ Id: "nianbaoValidate" });
  await settle();
  const last = env.calls[env.calls.length - 1];
  assert.equal(last.url, "https://nb.example.gov.cn:8443/xlwings/custom-scripts-call/validate");
  assert.equal(last.options.headers.Authorization, "Bearer key-1");
  assert.ok(env.shown.some((t) => t.includes("已保存")));
});
