// Activity: the proxy's audit log in the console. Changes made through a real slack-admin-proxy
// (in front of the suite's slack-sim) are listed with the key that made them, what they did, to
// whom, and Slack's answer; filtered in the address, exported as CSV; a log edited outside the
// proxy is flagged; without a proxy there is no Activity in the navigation.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConnectPage, expectAccessible, screenshot, simUrl, watchErrors } from "./console.js";
import { startProxy } from "./proxy.js";

let proxy;

test.beforeAll(async ({ baseURL }) => {
  proxy = await startProxy({ name: "activity", keys: [["ana", false], ["reader", true]], origin: new URL(baseURL).origin });
});

test.afterAll(() => proxy?.stop());

/** Fills the connect page's proxy form (shown at any page while disconnected). */
async function proxyForm(page, url, key) {
  await page.getByLabel("Proxy address").fill(url);
  await page.getByLabel("Access key").fill(key);
  await page.getByRole("button", { name: "Connect through the proxy" }).click();
}

async function connectThroughProxy(page, url, key) {
  const connect = new ConnectPage(page);
  await connect.goto();
  await proxyForm(page, url, key);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
}

/** A call as an SDK would make it, through the proxy with an access key. */
async function callThroughProxy(url, key, method, fields) {
  const answer = await fetch(`${url}api/${method}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}` },
    body: new URLSearchParams(fields),
  });
  return answer.json();
}

/** Today in this machine's time zone (the browser's), as a date field writes it. */
function localDay(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

const nav = (page) => page.getByRole("navigation", { name: "Main" });
const rows = (page) => page.locator(".activity-table tbody tr");
const status = (page) => page.locator("p[role=status]").filter({ hasText: /change/ });

test("a change made in the console is on the Activity page, filtered in the address and exported", async ({ page }) => {
  const errors = watchErrors(page);
  // Reopening /activity gets the app with a 404, as GitHub Pages serves a deep link.
  const notFound = [];
  page.on("response", (r) => r.status() === 404 && notFound.push(new URL(r.url()).pathname));
  const email = `activity.${Date.now()}@northwind.example`;
  await connectThroughProxy(page, proxy.url, proxy.keys.ana);

  // An invitation, through the console.
  await nav(page).getByRole("link", { name: "Invite" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Full name").fill("Avery Activity");
  await page.locator("#invite-channels").fill("general");
  await expect(page.getByRole("listbox", { name: "Matching channels" }).getByRole("option").first()).toContainText("#general");
  await page.locator("#invite-channels").press("Enter");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.locator(".success-panel")).toContainText(`Invitation sent to ${email}`);

  // A role change, through the console: the members list is then loaded, so names show.
  await nav(page).getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("status").filter({ hasText: /members, via/ })).toContainText(/^[\d,]+ members, via admin\.users\.list\.$/, { timeout: 30_000 });
  const filter = page.locator("#members-add-filter");
  await filter.selectOption({ label: "member" });
  await filter.selectOption({ label: "full member" });
  await filter.selectOption({ label: "active" });
  const first = page.locator(".members-table tbody tr:not(.spacer)").first();
  const name = (await first.locator(".member-name").textContent()).trim();
  await first.locator(".member-name").click();
  const panel = page.getByRole("region", { name });
  await panel.getByRole("button", { name: "Make admin" }).click();
  await page.getByRole("alertdialog", { name: "Confirm: Make admin" }).getByRole("button", { name: "Confirm" }).click();
  await expect(panel.getByRole("status")).toContainText("Done:");

  // The same invitation again, from a script with the same key: Slack refuses it.
  const again = await callThroughProxy(proxy.url, proxy.keys.ana, "admin.users.invite", { email, team_id: "T07NW4HQ1", channel_ids: "C07A10001" });
  expect(again.ok).toBe(false);

  await nav(page).getByRole("link", { name: "Activity" }).click();
  await expect(page.getByRole("heading", { name: "Activity", level: 1 })).toBeVisible();
  await expect(status(page)).toHaveText("3 changes, newest first.");
  await expect(page.getByText(/The log's 6 entries hold together/)).toBeVisible();
  const [refused, role, invited] = [rows(page).nth(0), rows(page).nth(1), rows(page).nth(2)];
  await expect(invited).toContainText("ana");
  await expect(invited).toContainText("Invited");
  await expect(invited).toContainText("as a full member · 1 channel");
  await expect(invited).toContainText(`${email} in Northwind HQ`);
  await expect(invited.locator(".outcome")).toHaveText("Done");
  await expect(role).toContainText("Made admin");
  await expect(role).toContainText(new RegExp(`${name} \\(W[0-9A-Z]+\\)`));
  await expect(role.locator(".outcome")).toHaveText("Done");
  await expect(refused).toContainText("Invited");
  await expect(refused.locator(".outcome")).toHaveText("Refused: already_in_team_invited_user");
  await expect(refused).toContainText("has already been invited");
  await expect(page.locator(".activity-when").first()).toContainText(/just now|minute/);
  await expectAccessible(page);
  await screenshot(page, "activity-light");
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page);
  await screenshot(page, "activity-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Filters: the words (an address, then a member's name), the outcome, the day; in the address.
  const search = page.getByRole("searchbox", { name: "Search" });
  await search.fill(email);
  await expect(rows(page)).toHaveCount(2);
  await expect(status(page)).toHaveText("2 changes match the filters.");
  await expect(page).toHaveURL(/activity\?q=activity\.\d+%40northwind\.example/);
  await page.getByLabel("Outcome", { exact: true }).selectOption({ label: "Refused" });
  await expect(rows(page)).toHaveCount(1);
  await expect(page).toHaveURL(/outcome=refused/);
  // The address is the view: opened again (the key was not remembered, so connecting first),
  // it shows the same.
  await page.reload();
  await proxyForm(page, proxy.url, proxy.keys.ana);
  await expect(page.getByRole("heading", { name: "Activity", level: 1 })).toBeVisible();
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByLabel("Outcome", { exact: true })).toHaveValue("refused");
  await expect(search).toHaveValue(email);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows(page)).toHaveCount(3);
  // A member's name finds the changes made to them (the page loads the members' names).
  await search.fill(name);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Made admin");
  await search.fill("");
  await page.getByLabel("Change", { exact: true }).selectOption({ label: "Invites" });
  await expect(rows(page)).toHaveCount(2);
  await page.getByLabel("From", { exact: true }).fill(localDay(1));
  await expect(status(page)).toHaveText("No change matches these filters.");
  await expect(rows(page)).toHaveCount(0);
  await page.getByLabel("From", { exact: true }).fill(localDay());
  await page.getByLabel("To", { exact: true }).fill(localDay());
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByLabel("Key", { exact: true })).toContainText("ana");

  // The export holds the view: the two invitations, defused, with Slack's answer.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export this view (CSV)" }).click()]);
  expect(download.suggestedFilename()).toBe("activity.csv");
  const csv = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe("entry,sent_utc,key,action,target,details,outcome,explanation,method,fields");
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain(`,ana,Invited,${email} in Northwind HQ,`);
  expect(lines[1]).toContain("Refused: already_in_team_invited_user");
  expect(lines[2]).toContain(",Done,");
  expect(csv).not.toContain(proxy.keys.ana);
  expect(notFound.every((p) => p.endsWith("/activity"))).toBe(true);
  // Org icons of the sim's fixture point at hosts that do not exist.
  expect(errors.filter((e) => !/ERR_NAME_NOT_RESOLVED|status of 404/.test(e))).toEqual([]);
});

test("a read-only key reads the log; older changes load on request", async ({ page }) => {
  // 105 refused changes more (no such member): more than a page.
  for (let i = 0; i < 105; i++) {
    const r = await callThroughProxy(proxy.url, proxy.keys.ana, "admin.users.setRegular", { user_id: `W0NOBODY${i}`, team_id: "E07NW4TRD" });
    expect(r.ok).toBe(false);
  }
  await connectThroughProxy(page, proxy.url, proxy.keys.reader);
  await nav(page).getByRole("link", { name: "Activity" }).click();
  // These 105, and those of the test before.
  await expect(status(page)).toHaveText(/^The newest 100 of 1\d\d changes\.$/);
  const total = Number((await status(page).textContent()).match(/of (\d+)/)[1]);
  expect(total).toBeGreaterThanOrEqual(105);
  await expect(rows(page)).toHaveCount(100);
  await expect(rows(page).first()).toContainText("Made regular member");
  await expect(rows(page).first()).toContainText("W0NOBODY104");
  await expect(rows(page).nth(99)).toContainText("W0NOBODY5");
  await page.getByRole("button", { name: "Load older changes" }).click();
  await expect(rows(page)).toHaveCount(total);
  await expect(rows(page).nth(100)).toContainText("W0NOBODY4");
  await expect(page.getByRole("button", { name: "Load older changes" })).toBeHidden();
  await expect(status(page)).toHaveText(`${total} changes, newest first.`);
  await expectAccessible(page);
});

test("a log edited outside the proxy is flagged at the entry where it breaks", async ({ page, baseURL }) => {
  const edited = await startProxy({ name: "activity-edited", origin: new URL(baseURL).origin });
  try {
    for (const user of ["W0NOBODY1", "W0NOBODY2"]) {
      await callThroughProxy(edited.url, edited.keys.ana, "admin.users.setOwner", { user_id: user, team_id: "E07NW4TRD" });
    }
    // Someone with the database in hand turns a refusal into a success.
    execFileSync("python3", ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE audit SET outcome='ok' WHERE id=2\"); c.commit()", join(edited.dataDir, "proxy.sqlite3")]);
    await connectThroughProxy(page, edited.url, edited.keys.ana);
    await nav(page).getByRole("link", { name: "Activity" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "does not verify" });
    await expect(alert.getByRole("heading")).toHaveText("The audit log does not verify at entry 2");
    await expect(alert).toContainText("Entry 2 was changed after it was written.");
    await expect(alert).toContainText("edited outside the proxy");
    await expect(alert).toContainText("slack-admin-proxy audit verify");
    await expect(rows(page).nth(1).locator(".badge")).toHaveText("Unverified");
    await expect(rows(page).nth(0).locator(".badge")).toHaveText("Unverified");
    await expectAccessible(page);
    await screenshot(page, "activity-edited-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "activity-edited-dark");
  } finally {
    await edited.stop();
  }
});

test("without a proxy there is no Activity in the navigation, and the page says where the log is", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(nav(page).getByRole("link", { name: "Members" })).toBeVisible();
  await expect(nav(page).getByRole("link", { name: "Activity" })).toHaveCount(0);
  await page.goto("./activity");
  await connect.sandbox();
  await expect(page.getByText("The activity log is kept by slack-admin-proxy")).toBeVisible();
  await expect(page.getByText(/connected to the sandbox/)).toBeVisible();
  await expect(page.getByText(/Through your team's proxy/)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "activity-no-proxy-light");
  await page.getByRole("button", { name: "Disconnect" }).click();
  await connect.withToken("xoxp-sandbox-org-admin", { baseUrl: `${simUrl}/api/` });
  await expect(page.getByText("The activity log is kept by slack-admin-proxy")).toBeVisible();
  await expect(page.getByText(/connected to Slack directly with a token/)).toBeVisible();
  await expect(nav(page).getByRole("link", { name: "Members" })).toBeVisible();
  await expect(nav(page).getByRole("link", { name: "Activity" })).toHaveCount(0);
});
