// Drive the WPS add-in under Node for the Python tests (tests/test_wps_addin.py):
//   node drive.js read  IN.json   -> the book JSON the add-in sends for IN.book
//   node drive.js apply IN.json   -> IN.result's actions applied to IN.book: {state, alerts}
//   node drive.js click IN.json   -> the ribbon's buttons IN.clicks (校验 ...) against the
//                                    real server IN.server (key IN.key): {state, alerts, requests}
// IN.book is the plain workbook description of wps-model.js.
"use strict";
const fs = require("fs");
const core = require("../js/nianbao-wps.js");
const { createModel } = require("./wps-model.js");

async function main() {
  const [mode, file] = process.argv.slice(2);
  const input = JSON.parse(fs.readFileSync(file, "utf8"));
  const model = createModel(input.book);
  const app = model.application;
  const alerts = [];
  const ui = { alert: (text, title, mode) => alerts.push({ text, title, mode }), open: (url) => alerts.push({ open: url }) };
  let out;
  if (mode === "read") {
    out = core.readBook(app, input.version);
  } else if (mode === "apply") {
    core.applyActions(app, input.result, ui);
    out = { state: model.dump(), alerts: alerts, log: model.log };
  } else if (mode === "click") {
    const requests = [];
    const client = core.createClient({
      app: app,
      fetch: (url, options) => {
        requests.push({ url: url, headers: options.headers });
        return fetch(url, options);
      },
      settings: () => ({ server: input.server, key: input.key || "" }),
      ui: ui,
      version: input.version,
    });
    for (const button of input.clicks) {
      if (button === "export") await client.exportReport();
      else await client.runScript(button);
    }
    out = { state: model.dump(), alerts: alerts, requests: requests };
  } else {
    throw new Error("mode: read | apply | click");
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e));
  process.exit(1);
});
