// 年报助手 — logic shared by the ribbon and the task pane, free of Office.js so that
// Node can test it (addin/server/static/js/tests/). Loaded as a classic script: it
// defines globalThis.NianbaoCore, and module.exports under Node.
(function (root) {
  "use strict";

  const BUSY_MESSAGE = "上一次操作仍在进行，请稍候再试。";
  const API_KEY_STORAGE = "nianbao.apiKey";

  // "表三!D6" or "'表 三'!D6" -> {sheet, address}; null for anything else
  function parseLocation(location) {
    const m = /^(.+)!\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(String(location || ""));
    if (!m) return null;
    let sheet = m[1];
    if (sheet.length > 1 && sheet.startsWith("'") && sheet.endsWith("'")) {
      sheet = sheet.slice(1, -1).replace(/''/g, "'");
    }
    return { sheet: sheet, address: m[2] + m[3] };
  }

  // The Authorization header value for a stored key ("" when none)
  function authHeader(key) {
    const k = String(key || "").trim();
    return k ? "Bearer " + k : "";
  }

  // One operation at a time: a second click while the first still runs gets a
  // message instead of a second, interleaved run. Always completes the ribbon event.
  function createRunner({ runPython, getAuth, notify }) {
    let busy = false;
    async function exclusive(task, event) {
      if (busy) {
        notify(BUSY_MESSAGE);
        if (event && event.completed) event.completed();
        return false;
      }
      busy = true;
      try {
        await task();
        return true;
      } finally {
        busy = false;
        if (event && event.completed) event.completed();
      }
    }
    async function run(scriptName, event) {
      return exclusive(async () => {
        const auth = getAuth ? await getAuth() : { token: "", provider: "" };
        await runPython({
          scriptName: scriptName,
          auth: auth.token,
          headers: auth.provider ? { "Auth-Provider": auth.provider } : {},
        });
      }, event);
    }
    return { run: run, exclusive: exclusive, isBusy: () => busy };
  }

  // Findings from POST /nianbao/findings -> rows for the task pane list
  function findingItems(result) {
    const findings = (result && result.findings) || [];
    return findings.map((f) => ({
      label: f.severity_label,
      css: "nb-" + f.severity,
      text: f.message,
      where: (f.locations || []).slice(0, 3).join("、"),
      rule: f.rule,
      target: f.sheet && f.address ? { sheet: f.sheet, address: f.address } : null,
    }));
  }

  function summaryText(result) {
    const s = (result && result.summary) || {};
    if (!s.error && !s.warning && !s.info) return "未发现问题。";
    const parts = [(s.error || 0) + " 个错误", (s.warning || 0) + " 个警告"];
    if (s.info) parts.push(s.info + " 条提示");
    return parts.join("，");
  }

  const api = {
    BUSY_MESSAGE,
    API_KEY_STORAGE,
    parseLocation,
    authHeader,
    createRunner,
    findingItems,
    summaryText,
  };
  root.NianbaoCore = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
