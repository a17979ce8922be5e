// 年报助手: the ribbon buttons of the 政务公开年报 tab (manifest.xml names the functions).
// 校验 / 清除标记 / 填写说明 run the xlwings scripts of custom_scripts/; 导出报告 opens
// the task pane, which downloads the report.
(function () {
  const core = globalThis.NianbaoCore;
  const runner = core.createRunner({
    runPython: (options) => globalThis.xlwings.runPython(options),
    getAuth: () => globalThis.getAuth(),
    notify: (message) => globalThis.xlwings.showGlobalStatus(message),
  });
  globalThis.nianbaoRunner = runner;

  async function afterRun() {
    if (typeof globalThis.nianbaoRefresh === "function") await globalThis.nianbaoRefresh();
  }
  Office.actions.associate("nianbao-validate", (event) =>
    runner.run("validate", event).then(afterRun));
  Office.actions.associate("nianbao-clear", (event) =>
    runner.run("clear_marks", event).then(afterRun));
  Office.actions.associate("nianbao-help", (event) => runner.run("show_help", event));
  Office.actions.associate("nianbao-export", (event) =>
    runner.exclusive(async () => {
      await Office.addin.showAsTaskpane();
      await globalThis.nianbaoExport();
    }, event));
})();
