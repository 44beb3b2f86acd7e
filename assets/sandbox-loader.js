// Starts the sandbox org (crates/sandbox-worker) in this Web Worker. The page creates the
// worker from this file when the admin opens the sandbox; the module posts a "ready" message
// once it listens. A module that fails to load says so instead of leaving the page waiting.
// The page's `?v=<build>` is passed on, so a browser never mixes files of two deployments.
(function () {
  var version = self.location.search;
  function failed(error) {
    postMessage(JSON.stringify({ kind: "failed", reason: String((error && error.message) || error) }));
  }
  try {
    importScripts("./sandbox-worker.js" + version);
    wasm_bindgen("./sandbox-worker_bg.wasm" + version).catch(failed);
  } catch (error) {
    failed(error);
  }
})();
