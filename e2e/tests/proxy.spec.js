// The console through slack-admin-proxy: the Slack token stays in the proxy, the admin signs
// in with an access key; a read-only key reads and is refused writes.
import { test, expect } from "@playwright/test";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConnectPage, expectAccessible, screenshot, watchErrors } from "./console.js";
import { TOKEN, freePort, startProxy } from "./proxy.js";

const bin = process.env.SLACK_ADMIN_PROXY_BIN || "../target/debug/slack-admin-proxy";

let proxy;
let proxyUrl;
const keys = {};

test.beforeAll(async ({ baseURL }) => {
  proxy = await startProxy({ name: "main", keys: [["ana", false], ["reader", true]], origin: new URL(baseURL).origin });
  proxyUrl = proxy.url;
  Object.assign(keys, proxy.keys);
});

// Neither the token nor a key ever appears in the proxy's log (stop() checks, and keeps the
// log with the suite's).
test.afterAll(() => proxy?.stop());

async function connectThroughProxy(page, key) {
  const connect = new ConnectPage(page);
  await connect.goto();
  await page.getByLabel("Proxy address").fill(proxyUrl);
  await page.getByLabel("Access key").fill(key);
  await page.getByRole("button", { name: "Connect through the proxy" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
}

test("an access key connects through the proxy; the overview says who holds the token", async ({ page }) => {
  const errors = watchErrors(page);
  await connectThroughProxy(page, keys.ana);
  await expect(page.getByText(/held by your team's proxy; your access key may do everything/)).toBeVisible();
  // The members page loads through the proxy.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("status").filter({ hasText: /members, via/ })).toContainText(/^[\d,]+ members, via admin\.users\.list\.$/, { timeout: 30_000 });
  await expectAccessible(page);
  expect(errors.filter((e) => !/ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);
});

test("a bad key is refused with the reason, and a read-only key is told what it may do", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await page.getByLabel("Proxy address").fill(proxyUrl);
  await page.getByLabel("Access key").fill("xoxp-not-a-key");
  await page.getByRole("button", { name: "Connect through the proxy" }).click();
  await expect(page.getByText(/That is not a proxy access key/)).toBeVisible();
  await page.getByLabel("Access key").fill(`sak_${"0".repeat(64)}`);
  await page.getByRole("button", { name: "Connect through the proxy" }).click();
  await expect(page.getByRole("alert")).toContainText("invalid_auth");
  await expect(page.getByRole("alert")).toContainText("The proxy did not accept this access key");
  await screenshot(page, "connect-proxy-refused");
  await page.getByLabel("Access key").fill(keys.reader);
  await page.getByRole("button", { name: "Connect through the proxy" }).click();
  await expect(page.getByText(/your access key may list and read, not change anything/)).toBeVisible();
  await expect(page.locator(".capability", { hasText: "Invite people" })).toContainText("read-only");
  await screenshot(page, "overview-proxy-read-only");
  // The requests can be seen, not answered.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Requests/ }).click();
  await expect(page.getByText(/Your access key to the proxy is read-only/)).toBeVisible();
  await expect(page.locator("ul.requests > li").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
});

// The live inbox: a slack-sim of its own sends Slack's `invite_requested` events, signed, to
// a proxy of its own (the same signing secret in both); the page hears them over the proxy's
// event stream, without a reload and well inside the poll's interval, and catches up after
// the proxy comes back.
test.describe("the inbox hears requests as Slack sends them", () => {
  const SECRET = `e2e-signing-secret-${Date.now()}`;
  const HQ = "T07NW4HQ1";
  let sim;
  let simPort;
  let live;
  let livePort;
  let liveUrl;
  let liveDir;
  let liveKey;
  let origin;
  const children = [];

  function started(child, name) {
    children.push(child);
    child.logs = "";
    child.stdout.on("data", (d) => (child.logs += d));
    child.stderr.on("data", (d) => (child.logs += d));
    child.name = name;
    return child;
  }

  function startProxy() {
    return started(
      spawn(bin, ["serve", "--listen", `127.0.0.1:${livePort}`, "--slack-api-url", `http://127.0.0.1:${simPort}/api/`, "--data-dir", liveDir, "--allow-origin", origin, "--rate-scale", "1000"], {
        env: { ...process.env, SLACK_ADMIN_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET },
        stdio: ["ignore", "pipe", "pipe"],
      }),
      "slack-admin-proxy",
    );
  }

  async function until(url, child) {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${child.name} did not start: ${child.logs}`);
  }

  function stopped(child) {
    return new Promise((ok) => {
      if (child.exitCode !== null) return ok(child.exitCode);
      child.on("exit", (code, signal) => ok(code ?? signal));
      child.kill("SIGTERM");
    });
  }

  async function fileOnSim(email) {
    const body = new URLSearchParams({ team_id: HQ, email, real_name: "Live Arrival", reason: "Heard as it happened" });
    const r = await (await fetch(`http://127.0.0.1:${simPort}/sim/invite_request`, { method: "POST", body })).json();
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return r.invite_request;
  }

  test.beforeAll(async ({ baseURL }) => {
    origin = new URL(baseURL).origin;
    [simPort, livePort] = [await freePort(), await freePort()];
    liveUrl = `http://127.0.0.1:${livePort}/`;
    liveDir = mkdtempSync(join(tmpdir(), "proxy-live-e2e-"));
    liveKey = execFileSync(bin, ["keys", "add", "ana", "--data-dir", liveDir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const simBin = process.env.SLACK_SIM_BIN || "../target/debug/slack-sim";
    // The secret goes in the environment, never in a flag's value.
    sim = started(
      spawn(simBin, ["--listen", `127.0.0.1:${simPort}`, "--rate-scale", "1000", "--events-url", `${liveUrl}slack/events`], {
        env: { ...process.env, SLACK_SIGNING_SECRET: SECRET },
        stdio: ["ignore", "pipe", "pipe"],
      }),
      "slack-sim",
    );
    live = startProxy();
    await until(`http://127.0.0.1:${simPort}/api/api.test`, sim);
    await until(`${liveUrl}proxy.json`, live);
  });

  test.afterAll(async () => {
    if (live) await stopped(live);
    if (sim) await stopped(sim);
    // The signing secret is in no log; the token and the key are in none of the proxy's (the
    // sim prints its fake tokens on purpose).
    // Every log kept first (the suite searches them all), then checked.
    for (const c of children) {
      if (process.env.TEST_LOG_DIR) writeFileSync(join(process.env.TEST_LOG_DIR, `${c.name === "slack-sim" ? "sim" : "proxy"}-e2e-live-${c.pid}.log`), c.logs);
    }
    for (const c of children) {
      for (const secret of [TOKEN, liveKey, SECRET]) expect(c.logs).not.toContain(secret);
    }
    rmSync(liveDir, { recursive: true, force: true });
  });

  test("a request filed on Slack appears at once, and again after the proxy restarts", async ({ page }) => {
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    const connect = new ConnectPage(page);
    await connect.goto();
    await page.getByLabel("Proxy address").fill(liveUrl);
    await page.getByLabel("Access key").fill(liveKey);
    await page.getByRole("button", { name: "Connect through the proxy" }).click();
    await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Requests/ }).click();
    const list = page.getByRole("list", { name: "Pending invite requests" });
    await expect(list.locator(":scope > li").first()).toBeVisible();
    const status = page.locator(".checked-line");
    await expect(status).toHaveText(/^Live: new requests arrive as Slack sends them\./);

    // Filed on "Slack": the event reaches the page in well under the poll's interval (at
    // least 10 s, 5 minutes while live).
    const email = `live.${Date.now()}@example.com`;
    const filedAt = Date.now();
    const request = await fileOnSim(email);
    const item = list.locator(":scope > li").filter({ hasText: email });
    await expect(item).toBeVisible({ timeout: 5_000 });
    expect(Date.now() - filedAt).toBeLessThan(5_000);
    await expect(item).toContainText("Live Arrival");
    await expect(item).toContainText("Heard as it happened");
    await expect(item).toHaveCount(1);
    // The proxy recorded it once.
    await expect.poll(() => (live.logs.match(/event recorded/g) || []).length).toBe(1);
    expect(live.logs).toContain("event stream opened");
    await expectAccessible(page);
    await screenshot(page, "inbox-proxy-live");

    // The proxy stops (its open stream does not hold it up): the page polls again, and says so.
    const stoppedAt = Date.now();
    await stopped(live);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    await expect(status).toHaveText(/^Checked .*; checked again every \d+ s/);
    // A request filed meanwhile cannot be delivered to the proxy...
    const missed = `missed.${Date.now()}@example.com`;
    await fileOnSim(missed);
    // ...and is there once the proxy is back: the page connects again and catches up.
    live = startProxy();
    await until(`${liveUrl}proxy.json`, live);
    await expect(status).toHaveText(/^Live: /, { timeout: 30_000 });
    await expect(list.locator(":scope > li").filter({ hasText: missed })).toBeVisible({ timeout: 15_000 });
    await expect(item).toHaveCount(1);
    expect(request.id).toBeTruthy();
    expect(errors.filter((e) => !/ERR_NAME_NOT_RESOLVED|ERR_CONNECTION_REFUSED|proxy\/events/.test(e))).toEqual([]);
  });
});
