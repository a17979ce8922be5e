// 年报助手 WPS 加载项的入口：WPS 为加载项生成 index.html 并载入本文件，
// 本文件再按顺序载入其余脚本（WPS 加载项的惯例，见 wpsjs 生成的模板）。
(function () {
  var scripts = ["js/config.js", "js/nianbao-wps.js", "js/ribbon.js"];
  for (var i = 0; i < scripts.length; i++) {
    document.write('<script type="text/javascript" src="' + scripts[i] + '"></script>');
  }
})();
