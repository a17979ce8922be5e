// 年报助手: the access key (NIANBAO_API_KEY on the server) for every call to xlwings
// Server. The filer types it once in the task pane; it is kept in localStorage.
globalThis.getAuth = async function () {
  let key = "";
  try {
    key = localStorage.getItem(globalThis.NianbaoCore.API_KEY_STORAGE) || "";
  } catch (e) {
    key = "";
  }
  return { token: globalThis.NianbaoCore.authHeader(key), provider: "" };
};
