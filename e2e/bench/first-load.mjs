// The first load as a browser sees it, in Debian's headless Chromium over loopback, over RUNS
// fresh loads (a new browser context each time, so nothing is cached):
//
// 1. navigation to an interactive connect page: the time, and every file the server handed
//    out until then (the page, its script, wasm, style, icon);
// 2. choosing the sandbox: the time from the click on "Open the sandbox" to the overview, and
//    the files that click fetched (the worker's loader, script and wasm).
//
// `cargo xtask bench size` runs it after a release build and prints the sizes of those files;
// by hand:
//
//   DIST=../target/bench-dist node bench/first-load.mjs        (from e2e/)
//
// Environment: DIST (the built app, served at /), RUNS (10), FETCHED (a file to write the
// fetched files to, as lines `first <file>` and `sandbox <file>`), READY_TIMEOUT_MS (20000 per
// step), CHROMIUM (/usr/bin/chromium).
//
// Times are taken inside the page: an observer installed before any page script records
// performance.now() when the connect button is first visible and enabled, when the click
// lands, and when the overview's organization heading first shows, so no round trip to this
// process is counted.
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Failure, chromiumArgs as args, fail, freePort } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.DIST || join(here, "../../target/bench-dist"));
const runs = Number(process.env.RUNS || 10);
const timeout = Number(process.env.READY_TIMEOUT_MS || 20_000);
const READY = "#connect-sandbox:not([disabled])";
const OVERVIEW = "#org-heading";
const AIM_INTERACTIVE_MS = 300;
const AIM_SANDBOX_MS = 1000;
// serve.mjs, logging every file it answers with into `served`.
async function serve(port, served) {
  const server = spawn(process.execPath, [join(here, "../serve.mjs")], {
    env: { ...process.env, DIST: dist, BASE_PATH: "/", APP_PORT: String(port), LOG_REQUESTS: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let pending = "";
  server.stdout.on("data", (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) if (line.startsWith("served ")) served.push(line.slice(7));
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) fail(`serve.mjs ended (${server.exitCode}) before serving ${dist}`);
    try {
      if ((await fetch(url)).ok) {
        served.length = 0;
        return { server, url };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  server.kill();
  fail(`serve.mjs did not answer at ${url} within 5 s`);
}

// Runs in the page before its own scripts: records when the connect button is first visible and
// enabled, when it is clicked, and when the overview shows afterwards.
function record({ ready, overview }) {
  const visible = (selector) => {
    const el = document.querySelector(selector);
    return !!el && !el.disabled && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  };
  const check = () => {
    const now = performance.now();
    if (window.__readyAt === undefined && visible(ready)) window.__readyAt = now;
    if (window.__clickAt !== undefined && window.__overviewAt === undefined && visible(overview)) {
      window.__overviewAt = now;
    }
  };
  document.addEventListener("click", (e) => {
    if (window.__clickAt === undefined && e.target.closest && e.target.closest("#connect-sandbox")) {
      window.__clickAt = performance.now();
    }
  }, true);
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  // A style sheet arriving changes visibility without a DOM change: look once a frame too.
  const frame = () => {
    check();
    if (window.__overviewAt === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function once(browser, url, served) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const why = () => (errors.length ? ` Page errors: ${errors.join("; ")}` : "");
    await page.addInitScript(record, { ready: READY, overview: OVERVIEW });
    served.length = 0;
    await page.goto(url, { waitUntil: "commit" });
    try {
      await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout });
    } catch {
      fail(`the page at ${url} showed no visible, enabled \`${READY}\` within ${timeout} ms.${why()}`);
    }
    // Whatever the page fetches on its own once interactive (the icon) is part of the load.
    await page.waitForLoadState("networkidle");
    const first = [...served];
    served.length = 0;
    await page.click(READY);
    try {
      await page.waitForFunction(() => window.__overviewAt !== undefined, null, { timeout });
    } catch {
      fail(`choosing the sandbox showed no \`${OVERVIEW}\` within ${timeout} ms.${why()}`);
    }
    const sandbox = [...served];
    const t = await page.evaluate(() => ({
      interactive: window.__readyAt,
      sandboxMs: window.__overviewAt - window.__clickAt,
    }));
    return { interactive: t.interactive, sandboxMs: t.sandboxMs, first, sandbox };
  } finally {
    await context.close();
  }
}

async function measure() {
  if (!existsSync(join(dist, "index.html"))) fail(`no build at ${dist} (set DIST)`);
  const served = [];
  const { server, url } = await serve(await freePort(), served);
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args,
    });
    try {
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await once(browser, url, served));
      return results;
    } finally {
      await browser.close();
    }
  } finally {
    server.kill();
  }
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1] };
}

let results;
try {
  results = await measure();
} catch (e) {
  console.error(`first-load: ${e instanceof Failure ? e.message : e.stack}`);
  process.exit(1);
}
// Every run fetches the same files (nothing is cached between runs); the union, to be sure.
const files = (phase) => [...new Set(results.flatMap((r) => r[phase]))].sort();
if (process.env.FETCHED) {
  const lines = [...files("first").map((f) => `first ${f}`), ...files("sandbox").map((f) => `sandbox ${f}`)];
  writeFileSync(process.env.FETCHED, lines.join("\n") + "\n");
}
const ms = (t) => `${t.toFixed(0)} ms`;
const report = (what, times, aim) => {
  const t = median(times);
  console.log(`${what}, ${runs} fresh loads on loopback`);
  console.log(`  median ${ms(t.median)}  min ${ms(t.min)}  max ${ms(t.max)}`);
  console.log(`  aim: under ${aim} ms: ${t.median < aim ? "met" : "NOT met"} (median ${ms(t.median)})`);
};
report("navigation to an interactive connect page", results.map((r) => r.interactive), AIM_INTERACTIVE_MS);
report("choosing the sandbox to the overview shown", results.map((r) => r.sandboxMs), AIM_SANDBOX_MS);
