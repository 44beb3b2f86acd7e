// The console through slack-admin-proxy: the Slack token stays in the proxy, the admin signs
// in with an access key; a read-only key reads and is refused writes.
import { test, expect } from "@playwright/test";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { ConnectPage, expectAccessible, screenshot, simUrl, watchErrors } from "./console.js";

const bin = process.env.SLACK_ADMIN_PROXY_BIN || "../target/debug/slack-admin-proxy";
const TOKEN = "xoxp-sandbox-org-admin";

function freePort() {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

let proxy;
let proxyUrl;
let dataDir;
const keys = {};

test.beforeAll(async ({ baseURL }) => {
  dataDir = mkdtempSync(join(tmpdir(), "proxy-e2e-"));
  for (const [name, ro] of [["ana", false], ["reader", true]]) {
    const args = ["keys", "add", name, "--data-dir", dataDir];
    if (ro) args.push("--read-only");
    keys[name] = execFileSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  }
  const port = await freePort();
  proxyUrl = `http://127.0.0.1:${port}/`;
  const origin = new URL(baseURL).origin;
  proxy = spawn(bin, ["serve", "--listen", `127.0.0.1:${port}`, "--slack-api-url", `${simUrl}/api/`, "--data-dir", dataDir, "--allow-origin", origin, "--rate-scale", "1000"], {
    env: { ...process.env, SLACK_ADMIN_TOKEN: TOKEN },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proxy.logs = "";
  proxy.stdout.on("data", (d) => (proxy.logs += d));
  proxy.stderr.on("data", (d) => (proxy.logs += d));
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${proxyUrl}proxy.json`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the proxy did not start: ${proxy.logs}`);
});

test.afterAll(() => {
  proxy?.kill();
  // Neither the token nor a key ever appears in the proxy's log.
  for (const secret of [TOKEN, keys.ana, keys.reader]) expect(proxy.logs).not.toContain(secret);
  rmSync(dataDir, { recursive: true, force: true });
});

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
