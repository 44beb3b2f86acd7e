// Loads the console module (every page of the console: src/bin/console.rs) on the page's main
// thread, after the entrance module (the connect page) has connected. trunk builds it as a
// "worker" module (wasm-bindgen's no-modules output, which defines `wasm_bindgen`); this
// script loads it and leaves the promise of its start-up where the entrance finds it. The
// entrance's `?v=<build>` is passed on, so a browser never mixes files of two deployments.
(function () {
  var version = new URL(document.currentScript.src).search;
  window.__slackAdminConsoleReady = new Promise(function (ready, failed) {
    var script = document.createElement("script");
    script.src = "console.js" + version;
    script.onload = function () {
      wasm_bindgen("console_bg.wasm" + version).then(function () { ready(); }, failed);
    };
    script.onerror = function () {
      failed(new Error("console.js could not be downloaded"));
    };
    document.head.appendChild(script);
  });
})();
