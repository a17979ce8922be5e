// 年报助手 WPS 加载项的默认设置。`nianbao addin build --wps --server URL [--key KEY]`
// 生成的加载项中此文件填有管理员给出的服务器地址；使用者可在“服务器设置”中修改。
globalThis.NIANBAO_WPS_DEFAULTS = {
  server: "http://127.0.0.1:8000",
  key: "",
  xlwingsVersion: "0.37.8",
};
