// 年报助手: the 政务公开年报 tab's callbacks (ribbon.xml names them ribbon.OnAction ...).
// 校验 / 清除标记 / 填写说明 run the xlwings scripts of `nianbao serve` on the active
// workbook; 导出报告 downloads the report through the browser; 服务器设置 asks for the
// server's address and access key (kept in this PC's WPS storage).
(function () {
  var core = globalThis.NianbaoWps;
  var defaults = globalThis.NIANBAO_WPS_DEFAULTS || {};

  function app() {
    return globalThis.wps && wps.EtApplication ? wps.EtApplication() : globalThis.Application;
  }

  var ui = {
    alert: function (text, title) {
      alert((title ? title + "\n\n" : "") + text);
    },
    open: function (url) {
      if (globalThis.wps && wps.OAAssist && wps.OAAssist.ShellExecute) wps.OAAssist.ShellExecute(url);
      else window.open(url);
    },
  };

  function settings() {
    return core.loadSettings(globalThis.localStorage, defaults);
  }

  var client = core.createClient({
    app: app(),
    fetch: function (url, options) {
      return fetch(url, options);
    },
    settings: settings,
    ui: ui,
    version: defaults.xlwingsVersion,
  });

  function askSettings() {
    var current = settings();
    var server = prompt("年报助手服务器地址（由管理员提供）：", current.server);
    if (server === null) return;
    var key = prompt("访问密钥（没有可留空）：", current.key);
    if (key === null) return;
    try {
      var saved = core.saveSettings(globalThis.localStorage, { server: server, key: key });
      ui.alert("已保存。服务器：" + saved.server, core.TITLE);
    } catch (e) {
      ui.alert(e.message, core.TITLE);
    }
  }

  var BUTTONS = {
    nianbaoValidate: function () { return client.runScript("validate"); },
    nianbaoClear: function () { return client.runScript("clear_marks"); },
    nianbaoHelp: function () { return client.runScript("show_help"); },
    nianbaoExport: function () { return client.exportReport(); },
    nianbaoSettings: askSettings,
  };

  globalThis.ribbon = {
    OnAddinLoad: function (ribbonUI) {
      globalThis.nianbaoRibbonUI = ribbonUI;
      return true;
    },
    OnAction: function (control) {
      var run = BUTTONS[control.Id];
      if (run) run();
      return true;
    },
    GetImage: function (control) {
      return "images/" + control.Id + ".svg";
    },
  };
})();
