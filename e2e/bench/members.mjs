// The members page at 100,000 members, as a browser runs it: the release build in Debian's
// headless Chromium over loopback, on the sandbox's big org with faster rate limits (50×
// Slack's, so that 1,000 pages of admin.users.list take seconds, not 10 minutes).
//
// Prints: the time to load every page; a keystroke in the search to the table painted, p50
// and p95 over 50 keystrokes (typing and deleting, as a person searches); the rows in the DOM;
// the JS heap after the load, and the page's wasm memory (where the list itself lives).
//
// `cargo xtask bench members` runs it after a release build; by hand:
//
//   DIST=../target/bench-dist node bench/members.mjs        (from e2e/)
//
// Environment: DIST (the built app, served at /), LOAD_TIMEOUT_MS (300000), CHROMIUM.
//
// A keystroke is timed inside the page: the search field gets its new value and an `input`
// event, as typing does. Two figures:
// - to the painted frame: from then until the first frame after the table is drawn for the
//   new search (its `data-search`), measured after that frame's paint (a
//   zero-delay timer queued in the frame callback). It includes the wait for the next frame
//   (up to 16.7 ms at 60 Hz), so even instant work measures about one frame;
// - the work: from then until the table's last DOM change for it, with style and layout
//   forced. Under 16 ms, the change is in the next frame.
// A DOM change that lands after the measured frame would make the figures too good: the
// script counts them and prints the count.
import { chromium } from "@playwright/test";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumArgs, chromiumPath, fail, percentile, report, serveApp } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.DIST || join(here, "../../target/bench-dist"));
const loadTimeout = Number(process.env.LOAD_TIMEOUT_MS || 300_000);
const AIM_KEYSTROKE_P95_MS = 16;
const AIM_HEAP_MB = 150;
const MEMBERS = 100_000;
// 50 keys: names typed, corrected and cleared.
const KEYS = [
  ..."ana", "Backspace", "Backspace", "Backspace",
  ..."lars", "Backspace", "Backspace", ..."ura",
  "Backspace", "Backspace", "Backspace", "Backspace", "Backspace",
  ..."martins", "Backspace", "Backspace", "Backspace", "Backspace", "Backspace", "Backspace", "Backspace",
  ..."w0a1c", "Backspace", "Backspace", "Backspace", "Backspace", "Backspace",
  ..."zhang", "Backspace", "Backspace", "Backspace",
];
// In the page: types `keys` into the search one at a time and times each to its painted frame.
async function typeAndTime(keys) {
  const input = document.querySelector("#members-search");
  const table = document.querySelector(".members-table");
  const scroller = document.querySelector(".members-scroller");
  let lastChange = 0;
  const observer = new MutationObserver(() => {
    // Style and layout of the change are part of its work.
    void scroller.offsetHeight;
    lastChange = performance.now();
  });
  observer.observe(scroller, { subtree: true, childList: true, characterData: true, attributes: true });
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
  const times = [];
  const work = [];
  const searches = [];
  const handlers = [];
  let late = 0;
  for (const key of keys) {
    await frame();
    await frame();
    const value = key === "Backspace" ? input.value.slice(0, -1) : input.value + key;
    const t0 = performance.now();
    lastChange = 0;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const handled = performance.now();
    let painted;
    for (let i = 0; i < 1200; i++) {
      const at = await afterPaint();
      if (table.dataset.search === value) {
        painted = at;
        break;
      }
    }
    if (painted === undefined) return { error: `the table never showed the search "${value}"` };
    times.push(painted - t0);
    work.push(Math.max(handled, lastChange) - t0);
    searches.push(value);
    handlers.push(handled - t0);
    // Anything drawn after the measured frame means the figure was too good.
    await frame();
    await frame();
    if (lastChange > painted) late += 1;
  }
  observer.disconnect();
  return { times, work, late, searches, handlers };
}


async function run() {
  if (!existsSync(join(dist, "index.html"))) fail(`no build at ${dist} (set DIST)`);
  const { server, url } = await serveApp(dist);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const why = () => (errors.length ? ` Page errors: ${errors.join("; ")}` : "");
    // The page's wasm memory (the console's list lives there, not in the JS heap).
    await page.addInitScript(() => {
      window.__wasmMemories = [];
      const keep = (result) => {
        const instance = result.instance || result;
        for (const v of Object.values(instance.exports || {})) {
          if (v instanceof WebAssembly.Memory) window.__wasmMemories.push(v);
        }
        return result;
      };
      for (const name of ["instantiate", "instantiateStreaming"]) {
        const original = WebAssembly[name];
        WebAssembly[name] = function (...a) {
          return original.apply(this, a).then(keep);
        };
      }
    });
    await page.goto(url);
    await page.getByLabel(/Faster rate limits/).check();
    await page.getByLabel(/A big org/).check();
    await page.getByRole("button", { name: "Open the sandbox" }).click();
    try {
      await page.locator("#org-heading").waitFor({ timeout: 120_000 });
    } catch {
      fail(`the big sandbox org did not open within 120 s.${why()}`);
    }
    const started = Date.now();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    const done = page.getByRole("status").filter({ hasText: /^[\d,]+ members, via admin\.users\.list\.$/ });
    try {
      await done.waitFor({ timeout: loadTimeout });
    } catch {
      fail(`the members did not finish loading within ${loadTimeout} ms.${why()}`);
    }
    const loadMs = Date.now() - started;
    const loaded = Number((await done.textContent()).match(/^([\d,]+)/)[1].replace(/,/g, ""));
    if (loaded < MEMBERS) fail(`only ${loaded} members loaded, not ${MEMBERS}`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    const wasmBytes = await page.evaluate(() => window.__wasmMemories.reduce((n, m) => n + m.buffer.byteLength, 0));
    const rowsInDom = await page.locator(".members-table tbody tr:not(.spacer)").count();
    const typed = await page.evaluate(typeAndTime, KEYS);
    if (typed.error) fail(typed.error + why());
    const rowsAfter = await page.locator(".members-table tbody tr:not(.spacer)").count();
    return { loadMs, loaded, heap, wasmBytes, rowsInDom, rowsAfter, ...typed };
  } finally {
    await browser.close();
    server.kill();
  }
}

const r = await report("members", run);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const p50 = percentile(r.times, 50);
const p95 = percentile(r.times, 95);
const w50 = percentile(r.work, 50);
const w95 = percentile(r.work, 95);
console.log(`\nthe members page in headless Chromium, sandbox org of ${r.loaded.toLocaleString("en")} members, rate limits 50x`);
console.log(`  every page loaded:        ${(r.loadMs / 1000).toFixed(1)} s`);
console.log(`  rows in the DOM:          ${r.rowsInDom} after the load, ${r.rowsAfter} after typing`);
console.log(
  `  keystroke -> painted:     p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...r.times).toFixed(1)} ms over ${r.times.length} keys` +
    ` (aim p95 <= ${AIM_KEYSTROKE_P95_MS} ms: ${p95 <= AIM_KEYSTROKE_P95_MS ? "met" : "NOT met"})`,
);
console.log(
  `  keystroke's work:         p50 ${w50.toFixed(1)} ms, p95 ${w95.toFixed(1)} ms, max ${Math.max(...r.work).toFixed(1)} ms` +
    ` (handler, filter, DOM, style and layout; it fits the frame when under ${AIM_KEYSTROKE_P95_MS} ms: ${w95 <= AIM_KEYSTROKE_P95_MS ? "met" : "NOT met"})`,
);
console.log(`  changes drawn after the measured frame: ${r.late} of ${r.times.length}`);
const slowest = r.work
  .map((w, i) => ({ w, i }))
  .sort((a, b) => b.w - a.w)
  .slice(0, 5)
  .map(({ w, i }) => `"${r.searches[i]}" ${w.toFixed(1)} ms (handler ${r.handlers[i].toFixed(1)})`);
console.log(`  slowest keystrokes' work:  ${slowest.join(", ")}`);
console.log(
  `  JS heap after the load:   ${mb(r.heap.usedSize)} used (aim <= ${AIM_HEAP_MB} MB: ${r.heap.usedSize <= AIM_HEAP_MB * 1e6 ? "met" : "NOT met"}); ` +
    `the page's wasm memory ${mb(r.wasmBytes)}`,
);
