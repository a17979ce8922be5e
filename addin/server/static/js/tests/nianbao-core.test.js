// Node's built-in test runner: node --test addin/server/static/js/tests/
const test = require("node:test");
const assert = require("node:assert/strict");
const core = require("../nianbao-core.js");

test("parseLocation reads sheet!cell, quoted sheets and rejects keys", () => {
  assert.deepEqual(core.parseLocation("表三!D6"), { sheet: "表三", address: "D6" });
  assert.deepEqual(core.parseLocation("'表 3''s'!$J$29"), { sheet: "表 3's", address: "J29" });
  assert.equal(core.parseLocation("t3.new.natural"), null);
  assert.equal(core.parseLocation(""), null);
});

test("authHeader sends a bearer token only when a key is stored", () => {
  assert.equal(core.authHeader(" abc "), "Bearer abc");
  assert.equal(core.authHeader(""), "");
  assert.equal(core.authHeader(null), "");
});

test("a second click while the first still runs gets a message, not a second run", async () => {
  const calls = [];
  const messages = [];
  let release;
  const runner = core.createRunner({
    runPython: (options) => {
      calls.push(options);
      return new Promise((resolve) => (release = resolve));
    },
    getAuth: async () => ({ token: "Bearer k", provider: "" }),
    notify: (m) => messages.push(m),
  });
  const completed = [];
  const first = runner.run("validate", { completed: () => completed.push("first") });
  await new Promise((r) => setImmediate(r));
  assert.equal(runner.isBusy(), true);
  const second = await runner.run("validate", { completed: () => completed.push("second") });
  assert.equal(second, false);
  assert.deepEqual(messages, [core.BUSY_MESSAGE]);
  release();
  assert.equal(await first, true);
  assert.deepEqual(completed, ["second", "first"]);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].scriptName, "validate");
  assert.equal(calls[0].auth, "Bearer k");
  assert.equal(runner.isBusy(), false);
});

test("a failing run still completes the ribbon event and frees the runner", async () => {
  const runner = core.createRunner({
    runPython: async () => {
      throw new Error("网络错误");
    },
    getAuth: null,
    notify: () => {},
  });
  let completed = 0;
  await assert.rejects(runner.run("validate", { completed: () => completed++ }), /网络错误/);
  assert.equal(completed, 1);
  assert.equal(runner.isBusy(), false);
});

test("findingItems and summaryText turn the server's findings into list rows", () => {
  const result = {
    summary: { error: 2, warning: 1, info: 0 },
    findings: [
      { severity: "error", severity_label: "错误", message: "表三……相差 1", rule: "T301",
        locations: ["表三!D6", "表三!D7", "表三!D29", "表三!D30"], sheet: "表三", address: "D6" },
      { severity: "warning", severity_label: "警告", message: "s1", rule: "F004", locations: ["s1"],
        sheet: null, address: null },
    ],
  };
  const items = core.findingItems(result);
  assert.equal(items[0].where, "表三!D6、表三!D7、表三!D29");
  assert.deepEqual(items[0].target, { sheet: "表三", address: "D6" });
  assert.equal(items[0].css, "nb-error");
  assert.equal(items[1].target, null);
  assert.equal(core.summaryText(result), "2 个错误，1 个警告");
  assert.equal(core.summaryText({ summary: { error: 0, warning: 0, info: 0 } }), "未发现问题。");
});
