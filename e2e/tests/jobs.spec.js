// Jobs on the proxy: a bulk invite handed to the proxy goes on when its tab closes; the Jobs
// page follows it, pauses and resumes it; what it did is what Slack (the sim) then reports; a
// read-only key only looks.
import { test, expect } from "@playwright/test";
import { ConnectPage, expectAccessible, screenshot, simUrl, watchErrors } from "./console.js";
import { startProxy } from "./proxy.js";

let proxy;

test.beforeAll(async ({ baseURL }) => {
  // Tier 2 at 20 a minute, times 6: a call every 0.5 s, slow enough to pause mid-job.
  proxy = await startProxy({ name: "jobs", keys: [["ana", false], ["reader", true]], origin: new URL(baseURL).origin, rateScale: 6 });
});

test.afterAll(() => proxy?.stop());

async function connectThroughProxy(page, key) {
  const connect = new ConnectPage(page);
  await connect.goto();
  await page.getByLabel("Proxy address").fill(proxy.url);
  await page.getByLabel("Access key").fill(key);
  await page.getByRole("button", { name: "Connect through the proxy" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
}

function csv(prefix, n) {
  const lines = ["email,name,type,channels"];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}.${i}@newhire.example,Proxy Person ${i},member,#general`);
  return lines.join("\n");
}

async function simInvite(email) {
  const body = new URLSearchParams({ token: "xoxp-sandbox-org-admin", email, team_id: "T07NW4HQ1", channel_ids: "C07A10001" });
  return (await fetch(`${simUrl}/api/admin.users.invite`, { method: "POST", body })).json();
}

test("a bulk invite run on the proxy goes on when its tab closes, and can be paused and resumed", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await connectThroughProxy(page, proxy.keys.ana);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Jobs" })).toBeVisible();
  await nav.getByRole("link", { name: "Invite" }).click();
  await page.getByRole("tab", { name: "Many (CSV)" }).click();
  await page.getByLabel("Paste CSV").fill(csv("onproxy", 8));
  await page.getByRole("button", { name: "Read the rows" }).click();
  await expect(page.locator(".preview-summary")).toHaveText("8 ready");
  await screenshot(page, "proxy-invite-run-on-proxy-light");
  await page.getByRole("button", { name: "Run on the proxy" }).click();

  // The Jobs page follows it.
  await expect(page.getByRole("heading", { name: "Jobs on the proxy", level: 1 })).toBeVisible();
  const card = page.locator(".server-job").first();
  await expect(card.getByRole("heading", { level: 2 })).toHaveText(/^Invite 8 people to /);
  await expect(card).toContainText("started by ana");
  await card.getByRole("button", { name: "Pause" }).click();
  await expect(card.locator(".badge")).toHaveText("Paused");
  const pausedAt = Number((await card.getByRole("progressbar").getAttribute("aria-valuenow")) || 0);
  expect(pausedAt).toBeLessThan(8);
  await expectAccessible(page);
  await screenshot(page, "proxy-jobs-paused-light");
  await card.getByRole("button", { name: "Resume" }).click();
  await expect(card.locator(".badge")).toHaveText("Sending");
  // Names of the sim's fake avatars do not resolve offline.
  expect(errors.filter((e) => !/ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);

  // The tab closes; the proxy goes on.
  await context.close();
  const again = await (await browser.newContext()).newPage();
  await connectThroughProxy(again, proxy.keys.ana);
  await again.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
  const done = again.locator(".server-job").first();
  await expect(done.locator(".badge")).toHaveText("Finished", { timeout: 30_000 });
  await expect(done).toContainText("8 of 8 rows done");
  await expect(done.locator(".outcome-line")).toHaveText("Invited 8");
  await screenshot(again, "proxy-jobs-finished-light");
  await again.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(again);
  await screenshot(again, "proxy-jobs-finished-dark");
  await again.emulateMedia({ colorScheme: "light" });
  // Slack (the sim) has every invitation: inviting again is refused as already invited.
  for (let i = 1; i <= 8; i++) {
    const answer = await simInvite(`onproxy.${i}@newhire.example`);
    expect(answer.ok, JSON.stringify(answer)).toBe(false);
    expect(answer.error).toMatch(/already_invited|already_in_team_invited_user/);
  }
  // The results, as CSV.
  const download = again.waitForEvent("download");
  await done.getByRole("button", { name: "Download results (CSV)" }).click();
  const file = await (await download).path();
  const text = (await import("node:fs")).readFileSync(file, "utf8");
  expect(text.split("\n").filter((l) => l.includes("onproxy."))).toHaveLength(8);
  await again.context().close();

  // A read-only key follows the jobs, and cannot start, pause or cancel one.
  const reader = await (await browser.newContext()).newPage();
  await connectThroughProxy(reader, proxy.keys.reader);
  await reader.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
  await expect(reader.getByText("Your access key is read-only")).toBeVisible();
  await expect(reader.locator(".server-job").first()).toContainText("8 of 8 rows done");
  await expect(reader.getByRole("button", { name: /Pause|Resume|Cancel the rest/ })).toHaveCount(0);
  await reader.context().close();
});

test("without a proxy there is no Jobs page in the navigation, and its address says why", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" })).toHaveCount(0);
  // Typed into the address bar of the same tab (the sandbox lives in the tab).
  await page.evaluate(() => {
    history.pushState({}, "", "jobs");
    dispatchEvent(new PopStateEvent("popstate"));
  });
  await expect(page.getByText(/This connection is not made through one/)).toBeVisible();
});

/** A member as Slack (the sim) reports it, by ID. */
async function simUser(id) {
  const body = new URLSearchParams({ token: "xoxp-sandbox-org-admin", user: id });
  return (await (await fetch(`${simUrl}/api/users.info`, { method: "POST", body })).json()).user;
}

test("a bulk member change run on the proxy is what Slack then reports", async ({ page }) => {
  test.setTimeout(120_000);
  const connect = new ConnectPage(page);
  await connect.goto("./members?f=role:member&f=type:full&f=status:active&q=quispe");
  await page.getByLabel("Proxy address").fill(proxy.url);
  await page.getByLabel("Access key").fill(proxy.keys.ana);
  await page.getByRole("button", { name: "Connect through the proxy" }).click();
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /^[\d,]+ members/ })).toContainText(/ members, via admin\.users\.list\.$/, { timeout: 30_000 });
  const n = Number((await page.getByText(/ shown$/).textContent()).replace(/[^\d]/g, ""));
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(20);
  await page.locator(".members-table tbody tr:not(.spacer)").first().getByRole("checkbox").click();
  await page.getByRole("button", { name: `Select all ${n} shown` }).click();
  await page.getByLabel("Change", { exact: true }).selectOption({ label: "Make admin" });
  await page.getByRole("button", { name: "Preview the change" }).click();
  await page.getByRole("button", { name: "Run on the proxy" }).click();

  await expect(page.getByRole("heading", { name: "Jobs on the proxy", level: 1 })).toBeVisible();
  const card = page.locator(".server-job").filter({ hasText: "Member changes" }).first();
  await expect(card.getByRole("heading", { level: 2 })).toHaveText("Make admin");
  await expect(card.locator(".badge")).toHaveText("Finished", { timeout: 60_000 });
  await expect(card.locator(".outcome-line")).toHaveText(`Changed ${n}`);
  // The results name each member; Slack now reports each as an admin.
  const download = page.waitForEvent("download");
  await card.getByRole("button", { name: "Download results (CSV)" }).click();
  const text = (await import("node:fs")).readFileSync(await (await download).path(), "utf8");
  const ids = text.split("\n").slice(1).filter(Boolean).map((l) => l.split(",")[1]);
  expect(ids).toHaveLength(n);
  for (const id of ids) expect((await simUser(id)).is_admin, id).toBe(true);
});
