// Starts the sandbox org (crates/sandbox-worker) in this Web Worker. The page creates the
// worker from this file when the admin opens the sandbox; the module posts a "ready" message
// once it listens. A module that fails to load says so instead of leaving the page waiting.
(function () {
  function failed(error) {
    postMessage(JSON.stringify({ kind: "failed", reason: String((error && error.message) || error) }));
  }
  try {
    importScripts("./sandbox-worker.js");
    wasm_bindgen("./sandbox-worker_bg.wasm").catch(failed);
  } catch (error) {
    failed(error);
  }
})();
