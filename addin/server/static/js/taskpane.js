// 年报助手 task pane: the findings list (click selects the cell), the access key,
// and the export download.
(function () {
  const core = globalThis.NianbaoCore;

  async function post(path, payload) {
    const auth = await globalThis.getAuth();
    const headers = { "Content-Type": "application/json" };
    if (auth.token) headers["Authorization"] = auth.token;
    const response = await fetch(window.location.origin + config.appPath + path, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(payload),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || response.statusText);
    return data;
  }

  async function selectCell(target) {
    await Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem(target.sheet);
      sheet.activate();
      sheet.getRange(target.address).select();
      await context.sync();
    });
  }

  function show(result) {
    const list = document.getElementById("nb-findings");
    const summary = document.getElementById("nb-summary");
    list.replaceChildren();
    summary.textContent = core.summaryText(result);
    for (const item of core.findingItems(result)) {
      const li = document.createElement("li");
      li.className = "list-group-item nb-item " + item.css;
      const head = document.createElement("div");
      head.className = "nb-head";
      head.textContent = item.label + " " + item.rule + (item.where ? " · " + item.where : "");
      const body = document.createElement("div");
      body.textContent = item.text;
      li.append(head, body);
      if (item.target) {
        li.setAttribute("role", "button");
        li.addEventListener("click", () => selectCell(item.target));
      }
      list.append(li);
    }
  }

  function showError(error) {
    document.getElementById("nb-summary").textContent = "出错：" + (error.message || error);
  }

  globalThis.nianbaoRefresh = async function () {
    try {
      show(await post("/nianbao/findings", await globalThis.xlwings.getBookData()));
    } catch (error) {
      showError(error);
    }
  };

  globalThis.nianbaoExport = async function () {
    try {
      const result = await post("/nianbao/export", await globalThis.xlwings.getBookData());
      const url = window.location.origin + result.url;
      if (Office.context.ui && Office.context.ui.openBrowserWindow) {
        Office.context.ui.openBrowserWindow(url);
      } else {
        window.open(url, "_blank");
      }
      document.getElementById("nb-summary").textContent = "已生成：" + result.files.join("、");
    } catch (error) {
      showError(error);
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    const keyInput = document.getElementById("nb-key");
    try {
      keyInput.value = localStorage.getItem(core.API_KEY_STORAGE) || "";
    } catch (e) {}
    document.getElementById("nb-key-save").addEventListener("click", () => {
      localStorage.setItem(core.API_KEY_STORAGE, keyInput.value.trim());
      document.getElementById("nb-summary").textContent = "访问密钥已保存。";
    });
    document.getElementById("nb-validate").addEventListener("click", () =>
      globalThis.nianbaoRunner.run("validate").then(globalThis.nianbaoRefresh));
    document.getElementById("nb-refresh").addEventListener("click", () => globalThis.nianbaoRefresh());
    document.getElementById("nb-export").addEventListener("click", () =>
      globalThis.nianbaoRunner.exclusive(globalThis.nianbaoExport));
  });
})();
