// The invite-request inbox: triage by keyboard, bulk decisions, new requests heard without a
// reload, the history, and the explanation on plans without these methods.
import { test, expect } from "@playwright/test";
import { ConnectPage, expectAccessible, screenshot, simUrl, watchErrors } from "./console.js";

const ADMIN = "xoxp-sandbox-org-admin";
const HQ = "T07NW4HQ1";
const LABS = "T07NW4LAB";

class InboxPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Invite requests", level: 1 });
    this.list = page.getByRole("list", { name: "Pending invite requests" });
    this.items = this.list.locator(":scope > li");
    this.navLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Requests/ });
  }

  item(email) {
    return this.items.filter({ hasText: email });
  }

  async openSandbox({ token = ADMIN, fast = true } = {}) {
    const connect = new ConnectPage(this.page);
    await connect.goto();
    if (fast) await this.page.getByLabel(/Faster rate limits/).check();
    await connect.sandbox(token);
    await this.navLink.click();
    await expect(this.heading).toBeVisible();
  }

  async openToken(token = ADMIN) {
    const connect = new ConnectPage(this.page);
    await connect.goto();
    await connect.withToken(token);
    await expect(this.page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
    await this.navLink.click();
    await expect(this.heading).toBeVisible();
  }
}

/** Page errors, without the org icon that the sim's team.info points at a host that does not
 * resolve offline. */
const real = (errors) => errors.filter((e) => !/ERR_NAME_NOT_RESOLVED/.test(e));

/** Every request of the sim's org in one list (approved, denied or pending), over HTTP. */
async function simList(method, field, team) {
  const body = new URLSearchParams({ token: ADMIN, team_id: team, limit: "1000" });
  const r = await (await fetch(`${simUrl}/api/${method}`, { method: "POST", body })).json();
  expect(r.ok, JSON.stringify(r)).toBe(true);
  return r[field];
}

async function fileRequest(email, { team = HQ, name = "", reason = "" } = {}) {
  const body = new URLSearchParams({ team_id: team, email, real_name: name, reason });
  const r = await (await fetch(`${simUrl}/sim/invite_request`, { method: "POST", body })).json();
  expect(r.ok, JSON.stringify(r)).toBe(true);
  return r;
}

test("keyboard only (token mode): j moves, a approves, d denies after a confirmation, focus moves on", async ({ page }) => {
  const errors = watchErrors(page);
  const stamp = Date.now();
  const first = `kb.approve.${stamp}@example.com`;
  const second = `kb.deny.${stamp}@example.com`;
  // The newest come first: these two top the list.
  await fileRequest(second, { team: LABS, name: "Dee Nied", reason: "Second" });
  await new Promise((r) => setTimeout(r, 1100));
  await fileRequest(first, { name: "Ada Proved", reason: "First" });
  const inbox = new InboxPage(page);
  await inbox.openToken();
  await expect(inbox.item(first)).toBeVisible();
  await expect(inbox.item(second)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "inbox-pending");

  await page.locator("body").press("j");
  await expect(inbox.items.first()).toBeFocused();
  await expect(inbox.items.first()).toContainText(first);
  await page.keyboard.press("a");
  await expect(inbox.item(first)).toHaveCount(0);
  // Focus is on the next request, now first.
  await expect(inbox.items.first()).toContainText(second);
  await expect(inbox.items.first()).toBeFocused();
  await page.keyboard.press("d");
  const dialog = page.getByRole("alertdialog", { name: "Deny this request?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(second);
  await screenshot(page, "inbox-deny-confirm");
  // The safe choice has the focus; Esc keeps the request, d again denies it.
  await expect(dialog.getByRole("button", { name: "Keep it" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(inbox.items.first()).toBeFocused();
  await page.keyboard.press("d");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("d");
  await expect(dialog).toHaveCount(0);
  await expect(inbox.item(second)).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: `Denied ${second}.` })).toHaveCount(1);

  // Slack (the sim) agrees.
  await expect
    .poll(async () => (await simList("admin.inviteRequests.approved.list", "approved_requests", HQ)).some((a) => a.invite_request.email === first))
    .toBe(true);
  const denied = await simList("admin.inviteRequests.denied.list", "denied_requests", LABS);
  expect(denied.some((d) => d.invite_request.email === second)).toBe(true);
  expect(real(errors)).toEqual([]);
});

test("keyboard only (sandbox): approve and deny, and the history says who decided", async ({ page }) => {
  const errors = watchErrors(page);
  const inbox = new InboxPage(page);
  await inbox.openSandbox();
  await expect(page.getByText(/^Checked (just now|.* ago);/)).toBeVisible();
  await page.locator("body").press("j");
  await expect(inbox.items.first()).toBeFocused();
  const first = (await inbox.items.first().locator("strong").first().textContent()).trim();
  const second = (await inbox.items.nth(1).locator("strong").first().textContent()).trim();
  await page.keyboard.press("a");
  await expect(inbox.item(first)).toHaveCount(0);
  await expect(inbox.item(second).first()).toBeFocused();
  await page.keyboard.press("d");
  await page.keyboard.press("d");
  await expect(inbox.item(second)).toHaveCount(0);
  await page.getByRole("tab", { name: "Approved" }).click();
  const approvedRow = page.locator(".history-table tbody tr").filter({ hasText: first });
  await expect(approvedRow).toBeVisible();
  // The sandbox admin decided it.
  await expect(approvedRow).toContainText("Mateo García");
  await page.getByRole("tab", { name: "Denied" }).click();
  await expect(page.locator(".history-table tbody tr").filter({ hasText: second })).toContainText("Mateo García");
  await screenshot(page, "inbox-denied");
  await expectAccessible(page);
  expect(real(errors)).toEqual([]);
});

test("? lists the keys; the confirmation can be turned off for the session", async ({ page }) => {
  const stamp = Date.now();
  const email = `quick.deny.${stamp}@example.com`;
  await fileRequest(email);
  const inbox = new InboxPage(page);
  await inbox.openToken();
  await expect(inbox.item(email)).toBeVisible();
  await page.locator("body").press("?");
  const keys = page.getByRole("dialog", { name: "Keys" });
  await expect(keys).toBeVisible();
  await expect(keys).toContainText("Approve the selection");
  await screenshot(page, "inbox-keys");
  await page.keyboard.press("Escape");
  await expect(keys).toHaveCount(0);
  await page.getByLabel("Ask before denying").uncheck();
  await inbox.item(email).click();
  await page.keyboard.press("d");
  await expect(inbox.item(email)).toHaveCount(0);
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await expect
    .poll(async () => (await simList("admin.inviteRequests.denied.list", "denied_requests", HQ)).some((d) => d.invite_request.email === email))
    .toBe(true);
});

test("a request made while the page is open appears without a reload, counted in the navigation", async ({ page }) => {
  test.setTimeout(90_000);
  const inbox = new InboxPage(page);
  await inbox.openToken();
  await expect(inbox.items.first()).toBeVisible();
  // Leave the inbox: a new request is counted in the navigation and the title.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" }).click();
  const email = `arrives.${Date.now()}@example.com`;
  await fileRequest(email, { name: "New Comer" });
  await expect(inbox.navLink).toContainText("new", { timeout: 40_000 });
  await expect(page).toHaveTitle(/^\(1 new\) /);
  await inbox.navLink.click();
  await expect(inbox.item(email)).toBeVisible();
  await expect(inbox.item(email)).toContainText("New Comer");
});

test("a bulk approval of 10 with one refused, paced as a job, with per-row results", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const stamp = Date.now();
  const emails = Array.from({ length: 9 }, (_, i) => `bulk.${i}.${stamp}@example.com`);
  for (const e of emails) await fileRequest(e, { team: LABS });
  // Someone who is a member already: Slack cannot send the invitation.
  const member = "bob.bold@northwind.example";
  await fileRequest(member, { team: LABS, reason: `bulk ${stamp}` });
  const inbox = new InboxPage(page);
  await inbox.openToken();
  const chosen = [...emails];
  for (const e of chosen) await inbox.item(e).getByRole("checkbox").check();
  const memberItem = inbox.items.filter({ hasText: `bulk ${stamp}` });
  await memberItem.getByRole("checkbox").check();
  // Shift+A acts on the selection.
  await page.locator("body").press("Shift+A");
  const panel = page.getByRole("region", { name: "Decision on the selection" });
  await expect(panel).toBeVisible();
  // They leave the list at once.
  for (const email of chosen) await expect(inbox.item(email)).toHaveCount(0);
  await expect(panel).toContainText("Approved 9 of 10 requests.", { timeout: 90_000 });
  await expect(panel.getByRole("table")).toContainText("failed_to_send_invite");
  // The refused one is back in the list with the catalogue's reason.
  await expect(memberItem.locator(".error-panel")).toBeVisible();
  await expect(memberItem.locator(".error-panel")).toContainText("failed_to_send_invite");
  await screenshot(page, "inbox-bulk");
  // Slack (the sim) approved the nine.
  const approved = await simList("admin.inviteRequests.approved.list", "approved_requests", LABS);
  expect(emails.filter((e) => approved.some((a) => a.invite_request.email === e))).toHaveLength(9);
  await expectAccessible(page);
  expect(real(errors)).toEqual([]);
});

test("select all in a workspace and approve: every one decided, focus kept in the list", async ({ page }) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  const inbox = new InboxPage(page);
  await inbox.openSandbox();
  await expect(page.getByText(/^Checked (just now|.* ago);/)).toBeVisible();
  const all = await inbox.items.count();
  await page.getByLabel("Workspace").selectOption({ label: "Northwind HQ" });
  const ops = await inbox.items.count();
  expect(ops).toBeGreaterThanOrEqual(3);
  expect(ops).toBeLessThan(all);
  await page.getByLabel(/^Select all \d+ shown$/).check();
  await page.getByRole("button", { name: `Approve selected (${ops})` }).click();
  const panel = page.getByRole("region", { name: "Decision on the selection" });
  await expect(panel).toContainText(`of ${ops} requests.`, { timeout: 60_000 });
  const approved = Number((await panel.textContent()).match(/Approved (\d+) of/)[1]);
  // What Slack refused is back, with its reason; nothing else is left in the workspace.
  const refused = await inbox.items.count();
  expect(approved + refused).toBe(ops);
  await expect(inbox.items.filter({ has: page.locator(".error-panel") })).toHaveCount(refused);
  if (refused === 0) await expect(page.getByText("No pending requests.")).toBeVisible();
  await page.getByLabel("Workspace").selectOption({ label: "All workspaces" });
  await expect(inbox.items).toHaveCount(all - approved);
  expect(real(errors)).toEqual([]);
});

test("a token without Grid's invite-request methods gets the reason, not an empty list", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox("xoxp-sandbox-legacy");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Requests/ }).click();
  await expect(page.getByText("Slack offers invite requests to apps only on Enterprise Grid.")).toBeVisible();
  await expect(page.getByText(/Slackbot message/)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "inbox-not-grid");
});
