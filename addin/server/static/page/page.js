// 年报助手 browser page: send the chosen workbook to nianbao serve, list the findings
// by table, and download what the server returns. The file stays in this page's
// memory and is sent again for each download; the server keeps nothing.
(function () {
  "use strict";
  const KEY_STORAGE = "nianbao.apiKey";
  const $ = (id) => document.getElementById(id);
  let chosen = null;

  function say(el, text, isError) {
    el.textContent = text;
    el.classList.toggle("error", Boolean(isError));
  }

  function headers() {
    const key = $("key").value.trim();
    try {
      localStorage.setItem(KEY_STORAGE, key);
    } catch (e) {}
    return key ? { Authorization: "Bearer " + key } : {};
  }

  async function call(method, url, body) {
    const response = await fetch(url, { method: method, headers: headers(), body: body });
    if (!response.ok) {
      let detail = "";
      try {
        detail = (await response.json()).detail;
      } catch (e) {}
      if (response.status === 401) $("key-box").open = true;
      throw new Error(detail || "服务器返回错误 " + response.status);
    }
    return response;
  }

  function query(params) {
    return Object.entries(params).map(([k, v]) => k + "=" + encodeURIComponent(v)).join("&");
  }

  function filenameOf(response, fallback) {
    const cd = response.headers.get("Content-Disposition") || "";
    const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
    return m ? decodeURIComponent(m[1]) : fallback;
  }

  async function save(response, fallback) {
    const blob = await response.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = filenameOf(response, fallback);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    return a.download;
  }

  function busy(buttons, on) {
    for (const b of buttons) b.disabled = on;
  }

  function show(result) {
    const s = result.summary;
    const total = s.error + s.warning + s.info;
    $("summary").textContent = total === 0
      ? "《" + result.name + "》校验通过：未发现错误或警告。"
      : "《" + result.name + "》：" + s.error + " 个错误，" + s.warning + " 个警告" + (s.info ? "，" + s.info + " 条提示" : "") + "。";
    const box = $("tables");
    box.replaceChildren();
    for (const group of result.tables) {
      const div = document.createElement("div");
      div.className = "table";
      const h = document.createElement("h4");
      h.textContent = group.table + "（" + group.findings.length + " 条）";
      const list = document.createElement("ol");
      for (const f of group.findings) {
        const li = document.createElement("li");
        const level = document.createElement("span");
        level.className = "level " + f.severity;
        level.textContent = f.label;
        const rule = document.createElement("span");
        rule.className = "rule";
        rule.textContent = f.rule;
        const text = document.createElement("span");
        text.className = "message";
        text.textContent = f.message;
        li.append(level, rule, text);
        if (f.cells.length) {
          const cells = document.createElement("span");
          cells.className = "cells";
          cells.textContent = "单元格：" + f.cells.join("、");
          li.append(cells);
        }
        list.append(li);
      }
      div.append(h, list);
      box.append(div);
    }
    $("result").hidden = false;
    $("summary").focus();
  }

  async function check(event) {
    event.preventDefault();
    const file = $("file").files[0];
    if (!file) {
      say($("status"), "请先选择一个 .xlsx 工作簿。", true);
      $("file").focus();
      return;
    }
    chosen = file;
    const buttons = document.querySelectorAll("button");
    busy(buttons, true);
    say($("status"), "正在校验《" + file.name + "》……");
    try {
      const response = await call("POST", "/nianbao/web/check?" + query({ name: file.name }), file);
      show(await response.json());
      say($("status"), "校验完成。");
    } catch (e) {
      $("result").hidden = true;
      say($("status"), "校验失败：" + e.message, true);
    } finally {
      busy(buttons, false);
    }
  }

  async function download(event) {
    const button = event.currentTarget;
    if (!chosen) return;
    const buttons = document.querySelectorAll("button");
    busy(buttons, true);
    say($("status"), "正在生成“" + button.textContent + "”……");
    try {
      const url = button.dataset.kind === "marked"
        ? "/nianbao/web/marked?" + query({ name: chosen.name })
        : "/nianbao/web/report?" + query({ name: chosen.name, to: button.dataset.to });
      const name = await save(await call("POST", url, chosen), "年报");
      say($("status"), "已下载：" + name);
    } catch (e) {
      say($("status"), "生成失败：" + e.message, true);
    } finally {
      busy(buttons, false);
    }
  }

  async function template(event) {
    event.preventDefault();
    const params = { format: $("format").value, agency: $("agency").value.trim() };
    if ($("year").value) params.year = $("year").value;
    const button = $("template");
    busy([button], true);
    say($("template-status"), "正在生成模板……");
    try {
      const name = await save(await call("GET", "/nianbao/web/template?" + query(params)), "模板.xlsx");
      say($("template-status"), "已下载：" + name);
    } catch (e) {
      say($("template-status"), "生成失败：" + e.message, true);
    } finally {
      busy([button], false);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    try {
      $("key").value = localStorage.getItem(KEY_STORAGE) || "";
    } catch (e) {}
    $("year").value = new Date().getFullYear() - 1;
    $("check-form").addEventListener("submit", check);
    $("template-form").addEventListener("submit", template);
    for (const b of document.querySelectorAll(".downloads button")) b.addEventListener("click", download);
    const drop = $("drop");
    drop.addEventListener("dragover", (e) => {
      e.preventDefault();
      drop.classList.add("over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer.files.length) {
        $("file").files = e.dataTransfer.files;
        $("check-form").requestSubmit();
      }
    });
    $("file").addEventListener("change", () => {
      if ($("file").files.length) $("check-form").requestSubmit();
    });
  });
})();
