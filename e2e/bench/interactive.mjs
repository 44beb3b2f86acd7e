// Time from navigation to an interactive connect page, in Debian's headless Chromium over
// loopback: the median of RUNS fresh loads (a new browser context each time, so nothing is
// cached). `cargo xtask bench size` runs it after a release build; by hand:
//
//   DIST=../target/bench-dist node bench/interactive.mjs        (from e2e/)
//
// Environment: DIST (the built app, served at /), RUNS (10), READY_SELECTOR (the element whose
// appearance, visible and enabled, means "interactive"), READY_TIMEOUT_MS (20000 per load),
// CHROMIUM (/usr/bin/chromium).
//
// The time is taken inside the page: an observer installed before any page script records
// performance.now() (ms since navigation start) at the first DOM change after which the
// element is visible and enabled, so no round trip to this process is counted.
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.DIST || join(here, "../../target/bench-dist"));
const runs = Number(process.env.RUNS || 10);
const selector = process.env.READY_SELECTOR || "#connect-sandbox:not([disabled])";
const timeout = Number(process.env.READY_TIMEOUT_MS || 20_000);
const AIM_MS = 300;
// The same flags as playwright.config.js.
const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

class Failure extends Error {}
const fail = (message) => {
  throw new Failure(message);
};

function freePort() {
  return new Promise((ok, no) => {
    const s = createServer();
    s.once("error", no);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function serve(port) {
  const server = spawn(process.execPath, [join(here, "../serve.mjs")], {
    env: { ...process.env, DIST: dist, BASE_PATH: "/", APP_PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) fail(`serve.mjs ended (${server.exitCode}) before serving ${dist}`);
    try {
      if ((await fetch(url)).ok) return { server, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  server.kill();
  fail(`serve.mjs did not answer at ${url} within 5 s`);
}

// Runs in the page before its own scripts: records when the selector first matches an element
// that is visible and enabled.
function recordReady(selector) {
  const ready = () => {
    const el = document.querySelector(selector);
    return !!el && !el.disabled && el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  };
  const check = () => {
    if (window.__benchReadyAt === undefined && ready()) {
      window.__benchReadyAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  // A style sheet arriving changes visibility without a DOM change: look once a frame too.
  const frame = () => {
    check();
    if (window.__benchReadyAt === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

async function once(browser, url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(recordReady, selector);
    await page.goto(url, { waitUntil: "commit" });
    try {
      await page.waitForSelector(selector, { state: "visible", timeout });
    } catch {
      const why = errors.length ? ` Page errors: ${errors.join("; ")}` : "";
      fail(
        `the page at ${url} showed no visible, enabled \`${selector}\` within ${timeout} ms.` +
          ` The connect page's sandbox button (id connect-sandbox) may not exist yet;` +
          ` set READY_SELECTOR to time another element.${why}`,
      );
    }
    // Wait for the element to be enabled too, then read the time the page recorded.
    await page.waitForFunction(() => window.__benchReadyAt !== undefined, null, { timeout });
    return await page.evaluate(() => window.__benchReadyAt);
  } finally {
    await context.close();
  }
}

async function measure() {
  if (!existsSync(join(dist, "index.html"))) fail(`no build at ${dist} (set DIST)`);
  const { server, url } = await serve(await freePort());
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args,
    });
    try {
      const times = [];
      for (let i = 0; i < runs; i++) times.push(await once(browser, url));
      return times;
    } finally {
      await browser.close();
    }
  } finally {
    server.kill();
  }
}

let times;
try {
  times = await measure();
} catch (e) {
  console.error(`interactive: ${e instanceof Failure ? e.message : e.stack}`);
  process.exit(1);
}
times.sort((a, b) => a - b);
const mid = times.length >> 1;
const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
const ms = (t) => `${t.toFixed(0)} ms`;
console.log(`navigation to interactive (\`${selector}\` visible and enabled), ${runs} fresh loads on loopback`);
console.log(`median ${ms(median)}  min ${ms(times[0])}  max ${ms(times[times.length - 1])}`);
console.log(`aim: interactive under ${AIM_MS} ms on loopback: ${median < AIM_MS ? "met" : "NOT met"} (median ${ms(median)})`);
