// The invite-request inbox at 1,000 pending requests, as a browser runs it: the release build
// in Debian's headless Chromium, connected in token mode to a `slack-sim` server that was
// started with 1,000 pending requests beside its fixture's (rate limits scaled up, so that
// Slack's pace is not what is measured).
//
// Prints: the time to load every pending request of every workspace; the time from a key
// (`a` approves, `d` denies, `j` moves) to the list painted, p50 and p95 over 200 decisions
// and the moves between them. Decisions leave the list before Slack answers, so Slack's
// latency is not in the figures: they are the page's own work.
//
// `cargo xtask bench inbox` runs it after a release build; by hand (from e2e/):
//
//   DIST=../target/bench-dist SLACK_SIM_BIN=../target/release/slack-sim node bench/inbox.mjs
//
// Environment: DIST, SLACK_SIM_BIN, LOAD_TIMEOUT_MS (120000), CHROMIUM.
//
// Two figures per key, as in bench/members.mjs: to the painted frame (from the key to the
// first frame after the list shows its effect, measured after that frame's paint; it
// includes the wait for the next frame, up to 16.7 ms at 60 Hz) and its work (from the key to
// the list's last DOM change, style and layout forced; under 16 ms it is in the next frame).
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { answering, chromiumArgs, chromiumPath, fail, freePort, percentile, report, serveApp } from "./common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.env.DIST || join(here, "../../target/bench-dist"));
const simBin = resolve(process.env.SLACK_SIM_BIN || join(here, "../../target/release/slack-sim"));
const loadTimeout = Number(process.env.LOAD_TIMEOUT_MS || 120_000);
const PENDING = 1_000;
const DECISIONS = Number(process.env.DECISIONS || 200);
const AIM_P95_MS = 16;
const TOKEN = "xoxp-sandbox-org-admin";

// In the page: presses each key and times it to the list painted with its effect.
async function pressAndTime(keys) {
  const list = document.querySelector("ul.requests");
  let lastChange = 0;
  const observer = new MutationObserver(() => {
    void list.offsetHeight;
    lastChange = performance.now();
  });
  observer.observe(list, { subtree: true, childList: true, attributes: true, characterData: true });
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));
  const current = () => list.querySelector("li.current")?.id;
  const out = { a: [], d: [], j: [], workA: [], workD: [], workJ: [], handlers: [], error: null };
  for (const key of keys) {
    await frame();
    await frame();
    const before = { count: list.children.length, current: current() };
    const t0 = performance.now();
    lastChange = 0;
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
    const handled = performance.now();
    let painted;
    for (let i = 0; i < 600; i++) {
      const at = await afterPaint();
      const done = key === "j" ? current() !== before.current : list.children.length === before.count - 1;
      if (done) {
        painted = at;
        break;
      }
    }
    if (painted === undefined) {
      out.error = `the list never showed the effect of "${key}" (${before.count} requests, cursor ${before.current})`;
      break;
    }
    const work = Math.max(handled, lastChange) - t0;
    out.handlers.push(`${key}:${(handled - t0).toFixed(0)}/${(lastChange - t0).toFixed(0)}`);
    if (key === "j") {
      out.j.push(painted - t0);
      out.workJ.push(work);
    } else if (key === "a") {
      out.a.push(painted - t0);
      out.workA.push(work);
    } else {
      out.d.push(painted - t0);
      out.workD.push(work);
    }
  }
  observer.disconnect();
  return out;
}

async function run() {
  if (!existsSync(join(dist, "index.html"))) fail(`no build at ${dist} (set DIST)`);
  if (!existsSync(simBin)) fail(`no slack-sim at ${simBin} (set SLACK_SIM_BIN)`);
  const simPort = await freePort();
  const sim = spawn(simBin, ["--listen", `127.0.0.1:${simPort}`, "--rate-scale", "1000", "--pending-requests", String(PENDING)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const simUrl = `http://127.0.0.1:${simPort}`;
  const { server, url } = await serveApp(dist);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  try {
    await answering(`${simUrl}/api/api.test`, "slack-sim", sim);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const why = () => (errors.length ? ` Page errors: ${errors.join("; ")}` : "");
    await page.goto(url);
    await page.getByLabel("Slack token").fill(TOKEN);
    await page.getByText("Advanced").click();
    await page.getByLabel("API base URL").fill(`${simUrl}/api/`);
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor({ timeout: 60_000 });
    const started = Date.now();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Requests/ }).click();
    try {
      await page.getByText(/^Checked (just now|.* ago);/).waitFor({ timeout: loadTimeout });
    } catch {
      fail(`the requests did not finish loading within ${loadTimeout} ms.${why()}`);
    }
    const loadMs = Date.now() - started;
    const loaded = await page.locator("ul.requests > li").count();
    if (loaded < PENDING) fail(`only ${loaded} requests listed, not ${PENDING}`);
    await page.getByLabel("Ask before denying").uncheck();
    // The cursor on the first request, then decisions with moves between them.
    await page.locator("body").press("j");
    const keys = [];
    let decisions = 0;
    while (decisions < DECISIONS) {
      keys.push(decisions % 2 === 0 ? "a" : "d");
      decisions += 1;
      if (decisions % 2 === 0) keys.push("j");
    }
    const timed = await page.evaluate(pressAndTime, keys);
    if (timed.error) fail(timed.error + why());
    const left = await page.locator("ul.requests > li").count();
    return { loadMs, loaded, left, ...timed };
  } finally {
    await browser.close();
    server.kill();
    sim.kill();
  }
}

const r = await report("inbox", run);
if (process.env.DETAIL) console.log(r.handlers.join(" "));
const line = (name, painted, work) => {
  const p50 = percentile(painted, 50);
  const p95 = percentile(painted, 95);
  const w50 = percentile(work, 50);
  const w95 = percentile(work, 95);
  return (
    `  ${name.padEnd(22)} painted p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; ` +
    `work p50 ${w50.toFixed(1)} ms, p95 ${w95.toFixed(1)} ms over ${painted.length} keys`
  );
};
const decisionsPainted = [...r.a, ...r.d];
const decisionsWork = [...r.workA, ...r.workD];
const all95 = percentile([...decisionsWork, ...r.workJ], 95);
console.log(`\nthe invite-request inbox in headless Chromium, token mode against slack-sim with ${r.loaded.toLocaleString("en")} pending requests`);
console.log(`  every request loaded:  ${(r.loadMs / 1000).toFixed(1)} s`);
console.log(line("a (approve)", r.a, r.workA));
console.log(line("d (deny)", r.d, r.workD));
console.log(line("j (next)", r.j, r.workJ));
console.log(line("all 200 decisions", decisionsPainted, decisionsWork));
console.log(
  `  a key's work, p95 over all ${decisionsWork.length + r.workJ.length} keys: ${all95.toFixed(1)} ms ` +
    `(aim p95 <= ${AIM_P95_MS} ms, one frame: ${all95 <= AIM_P95_MS ? "met" : "NOT met"}); ` +
    `${r.left.toLocaleString("en")} requests left in the list`,
);
