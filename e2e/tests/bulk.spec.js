import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { ConnectPage, STORAGE_KEY, expectAccessible, screenshot, simUrl } from "./console.js";

const JOB_KEY = "slack-admin-console.invite-job";

/** A CSV of `n` new people with `bad` invalid rows mixed in. */
function csvRows(n, prefix) {
  const lines = ["email,name,type,channels"];
  for (let i = 1; i <= n; i++) {
    lines.push(`${prefix}.${String(i).padStart(2, "0")}@newhire.example,Person ${i},member,#general`);
  }
  return lines;
}

class BulkPage {
  constructor(page) {
    this.page = page;
    this.tab = page.getByRole("tab", { name: "Many (CSV)" });
    this.text = page.getByLabel("Paste CSV");
    this.read = page.getByRole("button", { name: "Read the rows" });
    this.summary = page.locator(".preview-summary");
    this.send = page.locator("#send-bulk");
    this.state = page.locator(".job-state");
    this.results = page.locator(".results-table tbody tr");
  }

  async open({ token = "xoxp-sandbox-org-admin", fast = true } = {}) {
    const connect = new ConnectPage(this.page);
    await connect.goto();
    await connect.sandboxAs.selectOption(token);
    if (fast) await this.page.getByLabel(/Faster rate limits/).check();
    await connect.openSandbox.click();
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
    await this.tab.click();
  }

  async load(csv) {
    await this.text.fill(csv);
    await this.read.click();
  }

  /** The count of an outcome, by its word: invited, already_invited, refused, not_sent. */
  count(word) {
    return this.page.locator(`.outcome-counts .count-${word} .count-n`);
  }

  async defaultChannel(name) {
    const input = this.page.locator("#default-channels");
    await input.fill(name);
    await input.press("Enter");
    await expect(this.page.getByRole("button", { name: `Remove #${name}` })).toBeVisible();
  }
}

test("a 30-row CSV with 3 invalid rows sends 27 and reports 3", async ({ page }) => {
  const bulk = new BulkPage(page);
  await bulk.open();
  const lines = csvRows(27, "thirty");
  lines.splice(5, 0, "qwe,Not An Address,member,#general");
  lines.splice(12, 0, "thirty.04@newhire.example,Duplicate Person,member,#general");
  lines.splice(20, 0, "lost.channel@newhire.example,Lost Channel,member,#no-such-channel");
  await bulk.load(lines.join("\n"));
  await expect(bulk.summary).toHaveText("27 ready · 3 need attention and will not be sent until fixed");
  await expect(page.getByText(/duplicate of/i)).toBeVisible();
  await expect(page.getByText(/no-such-channel/).first()).toBeVisible();
  await expect(page.getByText(/qwe/).first()).toBeVisible();
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("0"); // mapped to column 1
  await screenshot(page, "bulk-preview-light");
  await bulk.send.click();
  await expect(bulk.state).toContainText("Finished", { timeout: 45_000 });
  await expect(bulk.count("invited")).toHaveText("27");
  await expect(bulk.count("not_sent")).toHaveText("3");
  await expect(bulk.results).toHaveCount(30);
  await expectAccessible(page);
  await screenshot(page, "bulk-results-light");
  await page.getByLabel("Show").selectOption({ label: "Not sent" });
  await expect(bulk.results).toHaveCount(3);
});

test("invalid rows can be fixed in place before sending", async ({ page }) => {
  const bulk = new BulkPage(page);
  await bulk.open();
  await bulk.load("ana.fix@newhire.example,Ana\nqwe,Bo\n");
  await expect(bulk.summary).toContainText("0 ready · 2 need attention");
  await expect(page.locator(".preview-table").getByText(/channel/i).first()).toBeVisible();
  await bulk.defaultChannel("general");
  await expect(bulk.summary).toContainText("1 ready · 1 need attention");
  await page.getByLabel("Line 2: email").fill("bo.fixed@newhire.example");
  await page.getByLabel("Line 2: email").press("Tab");
  await expect(bulk.summary).toHaveText("2 ready");
  await expect(bulk.send).toHaveText("Send 2 invitations");
});

test("without a header the columns are guessed and can be remapped", async ({ page }) => {
  const bulk = new BulkPage(page);
  await bulk.open();
  await bulk.load("Ana Lima;ana.map@newhire.example;#general\nBo Chen;bo.map@newhire.example;#design\n");
  await expect(bulk.summary).toHaveText("2 ready");
  await expect(page.getByLabel("The first row is a header")).not.toBeChecked();
  await page.getByLabel("Email", { exact: true }).selectOption({ label: "— not in the file" });
  await expect(bulk.summary).toContainText("2 need attention");
  await page.getByLabel("Email", { exact: true }).selectOption("1");
  await expect(bulk.summary).toHaveText("2 ready");
});

test("a CSV error says what is wrong and keeps the text", async ({ page }) => {
  const bulk = new BulkPage(page);
  await bulk.open();
  await bulk.load('email,name\n"broken@newhire.example,Open Quote\n');
  await expect(page.locator("#csv-error")).toContainText("never closed");
  await expect(bulk.text).toHaveValue(/broken@newhire.example/);
});

test("pause, resume and cancel", async ({ page }) => {
  const bulk = new BulkPage(page);
  await bulk.open({ fast: false }); // Slack's pace: one invitation every 3 s
  await bulk.load(csvRows(6, "pausing").join("\n"));
  await bulk.send.click();
  await expect(bulk.state).toContainText("Sending");
  await expect(page.getByText(/About \d+ s left|About 1 min/)).toBeVisible();
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(bulk.state).toContainText("Paused");
  const done = await bulk.count("invited").textContent();
  await page.waitForTimeout(3500);
  await expect(bulk.count("invited")).toHaveText(done);
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(bulk.state).toContainText("Sending");
  await page.getByRole("button", { name: "Cancel the rest" }).click();
  await expect(bulk.state).toContainText("Cancelled");
  const invited = Number(await bulk.count("invited").textContent());
  const notSent = Number(await bulk.count("not_sent").textContent());
  expect(invited + notSent).toBe(6);
  expect(notSent).toBeGreaterThan(0);
});

test("a reload in the middle of a job resumes it; no row is sent twice; the export holds every row", async ({ page }) => {
  // Token mode against slack-sim, remembered, so the org survives the reload.
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin", { remember: true });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  const bulk = new BulkPage(page);
  await bulk.tab.click();
  const lines = csvRows(5, `reload${Date.now() % 100000}`);
  await bulk.load(lines.join("\n"));
  await expect(bulk.summary).toHaveText("5 ready");
  await bulk.send.click();
  await expect(bulk.count("invited")).toHaveText("2", { timeout: 15_000 });
  await page.reload();
  // A restored job waits for the admin.
  await expect(page.locator(".job-question")).toContainText(/Resume \d invitations? to Northwind HQ/, { timeout: 15_000 });
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(bulk.state).toContainText("Finished", { timeout: 30_000 });
  await expect(bulk.count("invited")).toHaveText("5");
  await expect(bulk.count("already_invited")).toHaveText("0");
  await expect(bulk.count("refused")).toHaveText("0");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download results (CSV)" }).click();
  const file = await (await download).path();
  const exported = readFileSync(file, "utf8").trim().split(/\r?\n/);
  expect(exported[0]).toContain("email");
  expect(exported.length).toBe(1 + 5);
  for (const line of lines.slice(1)) expect(exported.join("\n")).toContain(line.split(",")[0]);

  // Starting anew clears the job; disconnecting clears the token.
  await page.getByRole("button", { name: "Start a new import" }).click();
  await expect
    .poll(() => page.evaluate((k) => Object.keys(localStorage).filter((x) => x.startsWith(k)), JOB_KEY))
    .toEqual([]);
  await page.getByRole("button", { name: "Disconnect" }).click();
  expect(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY)).toBeNull();
});

test("the bulk page is accessible in dark mode", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  const bulk = new BulkPage(page);
  await bulk.open();
  await bulk.load("email,name\nana.dark@newhire.example,Ana\nqwe,Bo\n");
  await bulk.defaultChannel("general");
  await expect(bulk.summary).toContainText("1 ready");
  await expectAccessible(page);
  await screenshot(page, "bulk-preview-dark");
});

test("regression: another account neither sees nor runs a job it did not start", async ({ page }) => {
  const bulk = new BulkPage(page);
  await bulk.open({ fast: false });
  await bulk.load(csvRows(4, "owned").join("\n"));
  await bulk.send.click();
  await expect(bulk.state).toContainText("Sending");
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("button", { name: "Disconnect" }).click();
  await bulk.open({ token: "xoxp-sandbox-org-owner", fast: false });
  await expect(bulk.text).toBeVisible(); // the importer, not the admin's job
  await expect(bulk.state).toHaveCount(0);
  await page.getByRole("button", { name: "Disconnect" }).click();
  await bulk.open({ token: "xoxp-sandbox-org-admin", fast: false });
  // A new sandbox org in this tab, but the same account: its job is shown, paused.
  await expect(bulk.state).toContainText("Paused");
});

test("regression: a second tab does not drive the same job", async ({ page, context }) => {
  const bulk = new BulkPage(page);
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.remember.check();
  await connect.sandboxAs.selectOption("xoxp-sandbox-org-admin");
  await connect.openSandbox.click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  await bulk.tab.click();
  await bulk.load(csvRows(5, "twotabs").join("\n"));
  await bulk.send.click();
  await expect(bulk.state).toContainText("Sending");

  const second = await context.newPage();
  const sentBySecond = [];
  second.on("request", (r) => r.url().includes("admin.users.invite") && sentBySecond.push(r.url()));
  await second.goto("./invite");
  await expect(second.getByText("This job is running in another tab")).toBeVisible({ timeout: 15_000 });
  await second.waitForTimeout(1000);
  expect(sentBySecond).toEqual([]);
  await second.close();
  await page.getByRole("button", { name: "Cancel the rest" }).click();
  await expect(bulk.state).toContainText("Cancelled");
});
