// Members: everyone in the org, found in a keystroke; the view lives in the URL.
import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { ConnectPage, expectAccessible, screenshot, simUrl, watchErrors } from "./console.js";

class MembersPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Members", level: 1 });
    this.search = page.getByLabel("Search members");
    this.addFilter = page.getByLabel("Add a filter");
    this.chips = page.getByRole("list", { name: "Filters" }).getByRole("listitem");
    this.rows = page.locator(".members-table tbody tr:not(.spacer)");
    this.status = page.getByRole("status").filter({ hasText: /^[\d,]+ members/ });
    this.shown = page.getByText(/ shown$/);
  }

  async open({ token = "xoxp-sandbox-org-admin", path, fast = false, big = false } = {}) {
    const connect = new ConnectPage(this.page);
    await connect.goto(path);
    if (fast) await this.page.getByLabel(/Faster rate limits/).check();
    if (big) await this.page.getByLabel(/A big org/).check();
    await connect.sandbox(token);
    if (!path) await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await expect(this.heading).toBeVisible();
  }

  async loaded(via = "admin.users.list", timeout = 30_000) {
    await expect(this.status).toContainText(new RegExp(`^[\\d,]+ members, via ${via.replace(".", "\\.")}\\.$`), { timeout });
  }

  async shownCount() {
    return Number((await this.shown.textContent()).replace(/[^\d]/g, ""));
  }
}

test("everyone loads, only the rows in sight are drawn, and a keystroke finds one", async ({ page }) => {
  const errors = watchErrors(page);
  const members = new MembersPage(page);
  await members.open();
  await members.loaded();
  const total = Number((await members.status.textContent()).match(/^([\d,]+)/)[1].replace(/,/g, ""));
  expect(total).toBeGreaterThan(300);
  // Virtualized: a few dozen rows in the DOM, whatever the count.
  expect(await members.rows.count()).toBeLessThan(60);
  await page.locator(".members-scroller").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(members.rows.last()).toBeVisible();
  expect(await members.rows.count()).toBeLessThan(60);

  await page.locator("body").click();
  await page.keyboard.press("/");
  await expect(members.search).toBeFocused();
  await page.keyboard.type("w0a1c0001");
  await expect(members.shown).toHaveText("1 shown");
  await expect(members.rows.first()).toContainText("Ingrid Solberg");
  await expect(members.rows.first()).toContainText("primary owner");
  expect(new URL(page.url()).searchParams.get("q")).toBe("w0a1c0001");
  // j moves the cursor to the first row.
  await page.keyboard.press("Escape");
  await page.keyboard.press("j");
  await expect(members.rows.first()).toHaveAttribute("aria-current", "true");
  await screenshot(page, "members-search");
  expect(errors).toEqual([]);
});

test("filter chips can be negated, live in the URL, and Back undoes them", async ({ page }) => {
  const members = new MembersPage(page);
  await members.open();
  await members.loaded();
  const all = await members.shownCount();
  await members.addFilter.selectOption({ label: "admin" });
  await expect(members.chips).toHaveCount(1);
  await expect(page).toHaveURL(/f=role%3Aadmin|f=role:admin/);
  const admins = await members.shownCount();
  expect(admins).toBeGreaterThan(0);
  expect(admins).toBeLessThan(all);
  await page.getByRole("button", { name: "Negate the filter admin" }).click();
  await expect(members.chips.first()).toContainText("not admin");
  await expect(members.shown).toHaveText(`${all - admins} shown`);
  await page.goBack();
  await expect(members.chips.first()).not.toContainText("not admin");
  await expect(members.shown).toHaveText(`${admins} shown`);
  await page.getByRole("button", { name: "Remove the filter admin" }).click();
  await expect(members.chips).toHaveCount(0);
  await expect(members.shown).toHaveText(`${all} shown`);

  // Guests at a glance; and a filter Slack has no data for says so.
  await members.addFilter.selectOption({ label: "guests with no expiry" });
  expect(await members.shownCount()).toBeGreaterThan(0);
  await members.addFilter.selectOption({ label: "inactive for 30 days" });
  await expect(page.getByText("Slack sent no activity data")).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "members-filters");
});

test("a link reproduces the view; a bad filter in it is named, not fatal", async ({ page }) => {
  const members = new MembersPage(page);
  await members.open({ path: "./members?f=role:owner&sort=email&desc=1" });
  await members.loaded();
  await expect(members.chips).toHaveCount(1);
  await expect(members.chips.first()).toContainText("owner");
  await expect(page.getByRole("columnheader", { name: "Email" })).toHaveAttribute("aria-sort", "descending");
  const emails = await members.rows.locator("td:nth-child(2)").allTextContents();
  expect(emails.length).toBeGreaterThan(1);
  expect([...emails].sort().reverse()).toEqual(emails);

  await members.open({ path: "./members?f=role:wizard" });
  await expect(page.getByRole("alert")).toContainText("role:wizard");
  await members.loaded();
});

test("export holds every row of the view, not just the visible ones", async ({ page }) => {
  const members = new MembersPage(page);
  await members.open();
  await members.loaded();
  await members.addFilter.selectOption({ label: "full member" });
  const shown = await members.shownCount();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export this view (CSV)" }).click();
  const file = await (await download).path();
  const lines = readFileSync(file, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  expect(lines[0]).toBe("id,name,display_name,email,role,type,status,workspaces,2fa,sso,expires,last_active");
  expect(lines.length).toBe(shown + 1);
  expect(shown).toBeGreaterThan(60);
});

test("a legacy token lists members with users.list, read-only", async ({ page }) => {
  const members = new MembersPage(page);
  await members.open({ token: "xoxp-sandbox-legacy" });
  await members.loaded("users.list");
  expect(await members.shownCount()).toBeGreaterThan(0);
  await expect(page.getByRole("columnheader", { name: "2FA" })).toBeVisible();
});

test("a member's panel names each change before it is made, and the change shows", async ({ page }) => {
  const members = new MembersPage(page);
  await members.open();
  await members.loaded();
  await members.addFilter.selectOption({ label: "member" });
  await members.addFilter.selectOption({ label: "full member" });
  await members.addFilter.selectOption({ label: "active" });
  const first = members.rows.first();
  const name = (await first.locator(".member-name").textContent()).trim();
  await first.locator(".member-name").click();
  const panel = page.getByRole("region", { name });
  await expect(panel).toBeVisible();
  await panel.getByRole("button", { name: "Make admin" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm: Make admin" });
  await expect(confirm).toContainText(`${name} will be able to manage members`);
  await expect(confirm).toContainText("admin.users.setAdmin");
  await screenshot(page, "members-panel-confirm");
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await expect(panel.getByRole("status")).toContainText("Done:");
  await expect(panel.locator("dd").nth(2)).toHaveText("admin");
  // Slack agrees: loaded again, the member is an admin.
  await page.getByRole("button", { name: "Refresh" }).click();
  await members.loaded();
  await page.getByRole("button", { name: "Remove the filter member", exact: true }).click();
  await members.search.fill(name);
  await expect(members.rows.filter({ hasText: name }).first()).toContainText("admin");
  await expectAccessible(page);
});

test("what cannot be changed says why: the primary owner, a legacy token", async ({ page }) => {
  const members = new MembersPage(page);
  await members.open();
  await members.loaded();
  await members.search.fill("W0A1C0001");
  await members.rows.first().locator(".member-name").click();
  const panel = page.getByRole("region", { name: "Ingrid Solberg" });
  await expect(panel.getByRole("button", { name: "Make regular member" })).toBeDisabled();
  await expect(panel).toContainText("The primary owner cannot be changed here");
  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();

  await page.getByRole("button", { name: "Disconnect" }).click();
  await new ConnectPage(page).sandbox("xoxp-sandbox-legacy");
  await members.loaded("users.list");
  // The search came along in the address; cleared, everyone shows.
  await members.search.fill("");
  await members.rows.first().locator(".member-name").click();
  await expect(page.getByRole("button", { name: "Make admin" })).toBeDisabled();
  await expect(page.locator(".member-panel")).toContainText("legacy tokens cannot");
});

test("the overview counts admins and owners without 2FA or SSO, and links to them", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox();
  const security = page.getByRole("region", { name: "Security at a glance" });
  const no2fa = security.getByRole("link", { name: /without two-factor authentication/ });
  await expect(no2fa).toBeVisible({ timeout: 30_000 });
  const n = Number((await no2fa.textContent()).match(/^(\d+)/)[1]);
  expect(n).toBeGreaterThan(0);
  await no2fa.click();
  const members = new MembersPage(page);
  await expect(members.heading).toBeVisible();
  await expect(members.chips).toHaveCount(3);
  await expect(members.shown).toHaveText(`${n} shown`);
  // Guests at a glance.
  await page.getByRole("link", { name: "no expiry" }).click();
  await expect(members.chips).toHaveCount(1);
  await expect(members.chips.first()).toContainText("guests with no expiry");
});

test("adding someone to another workspace names the workspace and channels first", async ({ page }) => {
  const members = new MembersPage(page);
  await members.open();
  await members.loaded();
  await members.addFilter.selectOption({ label: "full member" });
  await members.addFilter.selectOption({ label: "member" });
  const row = members.rows.filter({ hasText: "Northwind HQ" }).first();
  const name = (await row.locator(".member-name").textContent()).trim();
  await row.locator(".member-name").click();
  const panel = page.getByRole("region", { name });
  await panel.getByLabel("Workspace", { exact: true }).selectOption({ label: "Northwind Labs" });
  const channels = panel.locator("#assign-channels");
  await channels.fill("general");
  await expect(panel.getByRole("listbox", { name: "Matching channels" }).getByRole("option").first()).toContainText("#general");
  await channels.press("Enter");
  await panel.getByRole("button", { name: "Add to workspace…" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm: Add to Northwind Labs" });
  await expect(confirm).toContainText(`${name} will join Northwind Labs as a full member, in #general.`);
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await expect(panel.getByRole("status")).toContainText("Done:");
  await expect(panel.locator("dd").nth(5)).toContainText("Northwind Labs");
  await screenshot(page, "members-panel-assigned");
});

/** A user as slack-sim's own API reports it (not the page). */
async function simUser(id) {
  for (const active of ["true", "false"]) {
    let cursor = "";
    do {
      const body = new URLSearchParams({ token: "xoxp-sandbox-org-admin", limit: "1000", is_active: active, cursor });
      const answer = await (await fetch(`${simUrl}/api/admin.users.list`, { method: "POST", body })).json();
      const user = answer.users.find((u) => u.id === id);
      if (user) return user;
      cursor = answer.response_metadata?.next_cursor || "";
    } while (cursor);
  }
  return null;
}

test("token mode against slack-sim: a role change and a removal are what Slack then reports", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto("./members?f=role:member&f=type:full&f=status:active&q=aiko");
  await connect.withToken("xoxp-sandbox-org-admin");
  const members = new MembersPage(page);
  await members.loaded();
  const row = members.rows.filter({ hasText: "Northwind HQ" }).first();
  const name = (await row.locator(".member-name").textContent()).trim();
  await row.locator(".member-name").click();
  const panel = page.getByRole("region", { name });
  const id = (await panel.locator("dd").first().textContent()).trim();
  expect((await simUser(id)).is_admin).toBe(false);

  await panel.getByRole("button", { name: "Make admin" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Confirm" }).click();
  await expect(panel.getByRole("status")).toContainText("Done:");
  expect((await simUser(id)).is_admin).toBe(true);

  await panel.getByRole("button", { name: "Remove from Northwind HQ" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("will leave Northwind HQ");
  await page.getByRole("alertdialog").getByRole("button", { name: "Confirm" }).click();
  await expect(panel.getByRole("status")).toContainText("Done:");
  expect((await simUser(id)).workspaces).not.toContain("T07NW4HQ1");
});

/** Ticks the checkbox of the row at `index` of those drawn (with shift: a range). */
async function tick(members, index, { shift = false } = {}) {
  await members.rows.nth(index).getByRole("checkbox").click({ modifiers: shift ? ["Shift"] : [] });
}

test("a bulk change of 30 members: 2 refused in the dry run, the rest changed, then undone", async ({ page }) => {
  const errors = watchErrors(page);
  const members = new MembersPage(page);
  await members.open({ fast: true });
  await members.loaded();
  for (const label of ["member", "full member", "active"]) await members.addFilter.selectOption({ label });
  // 30 regular members: click the first, shift-click the 5th; then the keyboard: the
  // cursor to the 30th row, Shift+X for the range since the last one chosen.
  await tick(members, 0);
  await tick(members, 4, { shift: true });
  await expect(page.getByText("5 selected")).toBeVisible();
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 30; i++) await page.keyboard.press("j");
  await expect(page.locator('.members-table tr[aria-rowindex="31"]')).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("Shift+X");
  await expect(page.getByText("30 selected")).toBeVisible();
  // x on the keyboard's row unselects it, and selects it again.
  await page.keyboard.press("x");
  await expect(page.getByText("29 selected")).toBeVisible();
  await page.keyboard.press("x");
  await expect(page.getByText("30 selected")).toBeVisible();
  // The selection stays while the view changes: add the primary owner and a guest.
  for (const chip of ["member", "full member", "active"]) {
    await page.getByRole("button", { name: `Remove the filter ${chip}`, exact: true }).click();
  }
  await members.search.fill("W0A1C0001");
  await expect(members.shown).toHaveText("1 shown");
  await tick(members, 0);
  await members.search.fill("W0A1C000B");
  await expect(members.shown).toHaveText("1 shown");
  await tick(members, 0);
  await expect(page.getByText("32 selected")).toBeVisible();

  await page.getByLabel("Change", { exact: true }).selectOption({ label: "Make admin" });
  await page.getByRole("button", { name: "Preview the change" }).click();
  const dry = page.getByRole("region", { name: "Dry run: Make admin" });
  await expect(dry).toContainText("30 will change · 2 will not");
  await expect(dry.locator("tr.refused")).toHaveCount(2);
  await expect(dry).toContainText("The primary owner cannot be changed here");
  await expect(dry).toContainText("Guests cannot hold a role");
  await screenshot(page, "members-bulk-dry-run");
  await expectAccessible(page);
  await dry.getByRole("button", { name: "Change 30 members" }).click();

  const panel = page.getByRole("region", { name: "Make admin" });
  await expect(panel.locator(".job-state")).toContainText("Finished", { timeout: 60_000 });
  await expect(panel.locator(".count-changed .count-n")).toHaveText("30");
  await expect(panel.locator(".count-not_sent .count-n")).toHaveText("2");
  await expect(panel.getByRole("region", { name: "Members not changed" })).toContainText("primary owner");
  await screenshot(page, "members-bulk-finished");
  // Slack agrees: loaded again from the org, 30 more admins.
  await members.search.fill("");
  await page.getByRole("button", { name: "Refresh" }).click();
  await members.loaded();
  await members.addFilter.selectOption({ label: "admin" });
  const admins = await members.shownCount();

  // The results CSV has every row.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByRole("button", { name: "Download results (CSV)" }).click(),
  ]);
  const csv = readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe("line,user_id,name,email,change,outcome,code,detail");
  expect(lines.length).toBe(33);
  expect(lines.filter((l) => l.includes(",changed,")).length).toBe(30);

  // Undo: the 30 go back to regular.
  await panel.getByRole("button", { name: "Undo: make these 30 members regular again" }).click();
  await page.getByRole("alertdialog", { name: "Confirm the undo" }).getByRole("button", { name: "Undo" }).click();
  const undo = page.getByRole("region", { name: "Make regular member" });
  await expect(undo.locator(".job-state")).toContainText("Finished", { timeout: 60_000 });
  await expect(undo.locator(".count-changed .count-n")).toHaveText("30");
  await page.getByRole("button", { name: "Refresh" }).click();
  await members.loaded();
  await expect(members.shown).toHaveText(`${admins - 30} shown`);
  expect(errors).toEqual([]);
});

test("token mode against slack-sim: a bulk change and its undo are what Slack then reports", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto("./members?f=role:member&f=type:full&f=status:active&q=saito");
  await connect.withToken("xoxp-sandbox-org-admin");
  const members = new MembersPage(page);
  await members.loaded();
  const n = await members.shownCount();
  expect(n).toBeGreaterThan(1);
  expect(n).toBeLessThan(6);
  const ids = [];
  for (let i = 0; i < n; i++) {
    await members.rows.nth(i).locator(".member-name").click();
    ids.push((await page.locator(".member-panel dd").first().textContent()).trim());
    await page.keyboard.press("Escape");
  }
  for (const id of ids) expect((await simUser(id)).is_admin).toBe(false);
  await tick(members, 0);
  await page.getByRole("button", { name: `Select all ${n} shown` }).click();
  await page.getByLabel("Change", { exact: true }).selectOption({ label: "Make admin" });
  await page.getByRole("button", { name: "Preview the change" }).click();
  await page.getByRole("button", { name: `Change ${n} members` }).click();
  const panel = page.getByRole("region", { name: "Make admin" });
  await expect(panel.locator(".job-state")).toContainText("Finished", { timeout: 60_000 });
  for (const id of ids) expect((await simUser(id)).is_admin).toBe(true);
  await panel.getByRole("button", { name: /^Undo: / }).click();
  await page.getByRole("alertdialog", { name: "Confirm the undo" }).getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("region", { name: "Make regular member" }).locator(".job-state")).toContainText("Finished", { timeout: 60_000 });
  for (const id of ids) expect((await simUser(id)).is_admin).toBe(false);
});

test("at 100,000 members the page holds fewer than 200 rows and answers a keystroke at once", async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  const members = new MembersPage(page);
  await members.open({ fast: true, big: true });
  await members.loaded("admin.users.list", 150_000);
  await expect(members.status).toHaveText("100,000 members, via admin.users.list.");
  expect(await members.rows.count()).toBeLessThan(200);
  await page.locator(".members-scroller").evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(members.rows.first()).toHaveAttribute("aria-rowindex", /^\d{5}$/);
  expect(await members.rows.count()).toBeLessThan(200);
  // A search over 100,000 members answers before the next key.
  await members.search.fill("ahmed");
  await expect(members.shown).not.toHaveText("100,000 shown", { timeout: 2_000 });
  const some = await members.shownCount();
  expect(some).toBeGreaterThan(0);
  expect(some).toBeLessThan(100_000);
  expect(await members.rows.count()).toBeLessThan(200);
  expect(errors).toEqual([]);
});

test("a role in one workspace: the panel names the workspace, and Slack makes it there", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto("./members?f=role:member&f=type:full&f=status:active&q=martins");
  await connect.withToken("xoxp-sandbox-org-admin");
  const members = new MembersPage(page);
  await members.loaded();
  const row = members.rows.filter({ hasText: "Northwind HQ" }).first();
  const name = (await row.locator(".member-name").textContent()).trim();
  await row.locator(".member-name").click();
  const panel = page.getByRole("region", { name });
  const id = (await panel.locator("dd").first().textContent()).trim();
  await panel.getByLabel("Roles apply to").selectOption({ label: "Northwind HQ only" });
  await panel.getByRole("button", { name: "Make admin" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Confirm: Make admin" });
  await expect(confirm).toContainText(`${name} will be able to manage members and settings of Northwind HQ.`);
  await screenshot(page, "members-panel-workspace-role");
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await expect(panel.getByRole("status")).toContainText("Done:");
  expect((await simUser(id)).is_admin).toBe(true);
});
