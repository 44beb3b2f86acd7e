// One writer across tabs, a job that waits to be resumed, and one that pauses itself when
// the whole job cannot go on. Token mode against one slack-sim server, remembered, so that
// every tab of the browser talks to the same org.
import { test, expect } from "@playwright/test";
import { ConnectPage, screenshot, simUrl } from "./console.js";

const JOB_KEY = "slack-admin-console.invite-job"; // one key per owner: JOB_KEY:owner

function csv(n, prefix) {
  const lines = ["email,name,type,channels"];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}.${String(i).padStart(2, "0")}@newhire.example,Person ${i},member,#general`);
  return lines.join("\n");
}

const unique = (p) => `${p}${Date.now() % 1000000}`;

/** Records, for a page, the invite calls it sent and those Slack confirmed. */
function watchInvites(page) {
  const sent = [];
  const confirmed = [];
  page.on("request", (r) => {
    if (r.url().endsWith("/api/admin.users.invite")) sent.push(new URLSearchParams(r.postData() || "").get("email"));
  });
  page.on("response", async (r) => {
    if (!r.url().endsWith("/api/admin.users.invite")) return;
    try {
      const body = await r.json();
      if (body.ok) confirmed.push(new URLSearchParams(r.request().postData() || "").get("email"));
    } catch {
      /* the page was closed mid-answer */
    }
  });
  return { sent, confirmed };
}

async function connectAndOpenBulk(page, { connect = true } = {}) {
  if (connect) {
    const c = new ConnectPage(page);
    await c.goto();
    await c.withToken("xoxp-sandbox-org-admin", { remember: true });
  } else {
    await page.goto("./invite");
  }
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  await page.getByRole("tab", { name: "Many (CSV)" }).click();
}

const state = (page) => page.locator(".job-state");
const count = (page, word) => page.locator(`.outcome-counts .count-${word} .count-n`);

async function startJob(page, rows, prefix) {
  await page.getByLabel("Paste CSV").fill(csv(rows, prefix));
  await page.getByRole("button", { name: "Read the rows" }).click();
  await expect(page.locator(".preview-summary")).toHaveText(`${rows} ready`);
  await page.locator("#send-bulk").click();
  await expect(state(page)).toContainText("Sending");
}

test("one tab drives: close it mid-job, resume in the other, no confirmed row is sent twice", async ({ context }) => {
  const a = await context.newPage();
  const inA = watchInvites(a);
  await connectAndOpenBulk(a);
  await startJob(a, 6, unique("tabs"));
  await expect(count(a, "invited")).toHaveText("1", { timeout: 15_000 });

  const b = await context.newPage();
  const inB = watchInvites(b);
  await connectAndOpenBulk(b, { connect: false });
  await expect(b.getByText("This job is running in another tab")).toBeVisible();
  // B follows A's progress without sending anything itself.
  await expect(count(b, "invited")).toHaveText("2", { timeout: 15_000 });
  expect(inB.sent).toEqual([]);
  await screenshot(b, "job-followed-in-another-tab");

  await a.close();
  const confirmedByA = [...inA.confirmed];
  await b.getByRole("button", { name: "Resume" }).click();
  await expect(state(b)).toContainText("Finished", { timeout: 40_000 });
  await expect(count(b, "invited")).toHaveText("6");
  await expect(count(b, "refused")).toHaveText("0");
  for (const email of confirmedByA) expect(inB.sent).not.toContain(email);
  expect(confirmedByA.length + inB.sent.length).toBeGreaterThanOrEqual(6);
  await b.getByRole("button", { name: "Start a new import" }).click();
});

test("Cancel in a second tab stops the tab that drives", async ({ context }) => {
  const a = await context.newPage();
  const inA = watchInvites(a);
  await connectAndOpenBulk(a);
  await startJob(a, 8, unique("cancel"));
  const b = await context.newPage();
  await connectAndOpenBulk(b, { connect: false });
  await expect(b.getByText("This job is running in another tab")).toBeVisible();
  await b.getByRole("button", { name: "Cancel the rest" }).click();
  await expect(state(a)).toContainText("Cancelled", { timeout: 10_000 });
  const sentAtCancel = inA.sent.length;
  await a.waitForTimeout(4000);
  expect(inA.sent.length).toBe(sentAtCancel);
  await expect(state(b)).toContainText("Cancelled");
  expect(Number(await count(a, "not_sent").textContent())).toBeGreaterThan(0);
  await a.getByRole("button", { name: "Start a new import" }).click();
});

test("a job restored after a reload waits for the admin, then runs", async ({ page }) => {
  const inPage = watchInvites(page);
  await connectAndOpenBulk(page);
  await startJob(page, 4, unique("restore"));
  await expect(count(page, "invited")).toHaveText("1", { timeout: 15_000 });
  await page.reload();
  const question = page.locator(".job-question");
  await expect(question).toContainText(/Resume \d invitations? to Northwind HQ as mateo\.garcia\?/);
  const before = inPage.sent.length;
  await page.waitForTimeout(4000);
  expect(inPage.sent.length).toBe(before); // nothing sent until resumed
  await screenshot(page, "job-restored-question");
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(state(page)).toContainText("Finished", { timeout: 30_000 });
  await expect(count(page, "invited")).toHaveText("4");
  await page.getByRole("button", { name: "Start a new import" }).click();
});

test("another account connecting in the same tab never sees the job", async ({ page }) => {
  await connectAndOpenBulk(page);
  await startJob(page, 3, unique("owner"));
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(state(page)).toContainText("Paused");
  await page.getByRole("button", { name: "Disconnect" }).click();
  const c = new ConnectPage(page);
  await c.withToken("xoxp-sandbox-legacy");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  await page.getByRole("tab", { name: "Many (CSV)" }).click();
  await expect(page.getByLabel("Paste CSV")).toBeVisible();
  await expect(state(page)).toHaveCount(0);
  await page.getByRole("button", { name: "Disconnect" }).click();
  await c.withToken("xoxp-sandbox-org-admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  await expect(state(page)).toContainText("Paused");
  await expect(page.locator(".job-question")).toContainText(/Resume [23] invitations to Northwind HQ/);
  await page.getByRole("button", { name: "Cancel the rest" }).click();
  await page.getByRole("button", { name: "Start a new import" }).click();
});

test("a token revoked mid-job pauses the job with the reason; no row is refused", async ({ page }) => {
  const revoke = (restore) =>
    fetch(`${simUrl}/sim/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token: "xoxp-sandbox-org-admin", ...(restore ? { restore: "1" } : {}) }),
    });
  try {
    await connectAndOpenBulk(page);
    await startJob(page, 5, unique("revoked"));
    await expect(count(page, "invited")).toHaveText("1", { timeout: 15_000 });
    await revoke(false);
    await expect(state(page)).toContainText("Paused", { timeout: 15_000 });
    const alert = page.getByRole("alert").filter({ hasText: "token_revoked" });
    await expect(alert).toBeVisible();
    await expect(count(page, "refused")).toHaveText("0");
    await screenshot(page, "job-halted-token-revoked");
    await revoke(true);
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(state(page)).toContainText("Finished", { timeout: 30_000 });
    await expect(count(page, "invited")).toHaveText("5");
    await page.getByRole("button", { name: "Start a new import" }).click();
  } finally {
    await revoke(true);
  }
});

test("keyboard focus stays on Pause while the job runs", async ({ page }) => {
  await connectAndOpenBulk(page);
  await startJob(page, 4, unique("focus"));
  const pause = page.getByRole("button", { name: "Pause" });
  await pause.focus();
  await expect(count(page, "invited")).toHaveText("2", { timeout: 15_000 });
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("job-pause");
  await page.keyboard.press("Enter");
  await expect(state(page)).toContainText("Paused");
  await page.getByRole("button", { name: "Cancel the rest" }).click();
  await page.getByRole("button", { name: "Start a new import" }).click();
});

test("removing preview rows in any order removes exactly those rows", async ({ page }) => {
  await connectAndOpenBulk(page);
  const rows = ["email,name,channels", "bad1,One,#general", "ok.2@newhire.example,Two,#general", "bad3,Three,#general", "bad4,Four,#general"];
  await page.getByLabel("Paste CSV").fill(rows.join("\n"));
  await page.getByRole("button", { name: "Read the rows" }).click();
  // Removing line 2 then line 5 used a stale position for the second removal.
  await page.getByRole("button", { name: "Leave out line 2" }).click();
  await page.getByRole("button", { name: "Leave out line 5" }).click();
  const lines = await page.locator(".preview-table tbody tr td:first-child").allTextContents();
  expect(lines).toEqual(["3", "4"]);
  await page.getByLabel("Line 4: email").fill("ok.4@newhire.example");
  await page.getByLabel("Line 4: email").press("Tab");
  await expect(page.locator(".preview-summary")).toHaveText("2 ready");
});

test("a file over the size limit is refused before it is read; a Windows-1252 file is read", async ({ page }) => {
  await connectAndOpenBulk(page);
  const input = page.locator("#csv-file");
  await input.setInputFiles({ name: "huge.csv", mimeType: "text/csv", buffer: Buffer.alloc(11 * 1024 * 1024, 97) });
  await expect(page.locator("#csv-error")).toContainText("the console reads files of up to 10.0 MB");
  const latin = Buffer.from("email,name,channels\njose.1252@newhire.example,Jos\xe9 \x93Pepe\x94,#general\n", "latin1");
  await input.setInputFiles({ name: "excel.csv", mimeType: "text/csv", buffer: latin });
  await expect(page.locator(".preview-table")).toContainText("José “Pepe”");
  await input.setInputFiles({ name: "book.xlsx", mimeType: "application/octet-stream", buffer: Buffer.from("PK\x03\x04rest", "latin1") });
  await expect(page.locator("#csv-error")).toContainText("Excel");
});

test("a send with no answer is abandoned after 30 s and retried as possibly delivered", async ({ page }) => {
  test.setTimeout(90_000);
  const prefix = unique("timeout");
  let held = 0;
  const sent = [];
  // The first call for row 1 never gets an answer.
  await page.route(`${simUrl}/api/admin.users.invite`, async (route) => {
    const email = new URLSearchParams(route.request().postData() || "").get("email");
    sent.push(email);
    if (email.endsWith(".01@newhire.example") && held++ === 0) return; // never answered
    await route.continue();
  });
  await connectAndOpenBulk(page);
  await startJob(page, 2, prefix);
  await expect(state(page)).toContainText("Finished", { timeout: 70_000 });
  await expect(count(page, "invited")).toHaveText("2");
  await expect(count(page, "refused")).toHaveText("0");
  expect(sent.filter((e) => e.endsWith(".01@newhire.example")).length).toBe(2);
  await page.getByRole("button", { name: "Start a new import" }).click();
});

test("another account in a second tab cannot start a job while one is sending, and the first job is kept", async ({ context }) => {
  const a = await context.newPage();
  await connectAndOpenBulk(a);
  const prefix = unique("keep");
  await startJob(a, 4, prefix);
  const b = await context.newPage();
  const sentByB = [];
  b.on("request", (r) => r.url().includes("users.admin.invite") && sentByB.push(r.url()));
  // B opens on A's remembered connection: disconnect there, then connect as another account.
  await b.goto("./");
  await b.getByRole("button", { name: "Disconnect" }).click();
  const c = new ConnectPage(b);
  await expect(c.heading).toBeVisible();
  await c.withToken("xoxp-sandbox-legacy");
  await b.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  await b.getByRole("tab", { name: "Many (CSV)" }).click();
  await b.getByLabel("Paste CSV").fill("email\nbaker.keep@harborbakery.example\n");
  await b.getByRole("button", { name: "Read the rows" }).click();
  await b.locator("#send-bulk").click();
  await expect(b.locator("#send-error")).toContainText("Another tab of this browser is sending invitations");
  await expect(b.getByLabel("Paste CSV")).toHaveValue(/baker.keep/); // nothing lost
  expect(sentByB).toEqual([]);
  await expect(state(a)).toContainText(/Sending|Finished/);
  const keys = await a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("slack-admin-console.invite-job:")));
  expect(keys.some((k) => k.includes("W0A1C0002"))).toBe(true);
  await a.getByRole("button", { name: "Cancel the rest" }).click();
  await a.getByRole("button", { name: "Start a new import" }).click();
});

test("without Web Locks, a lease in localStorage still lets only one tab drive", async ({ context }) => {
  await context.addInitScript(() => {
    delete Navigator.prototype.locks;
  });
  const a = await context.newPage();
  await connectAndOpenBulk(a);
  expect(await a.evaluate(() => "locks" in navigator)).toBe(false);
  await startJob(a, 5, unique("lease"));
  const b = await context.newPage();
  const sentByB = [];
  b.on("request", (r) => r.url().includes("admin.users.invite") && sentByB.push(r.url()));
  await connectAndOpenBulk(b, { connect: false });
  await expect(b.getByText("This job is running in another tab")).toBeVisible();
  await expect(count(b, "invited")).toHaveText("2", { timeout: 15_000 });
  expect(sentByB).toEqual([]);
  await a.close();
  await b.getByRole("button", { name: "Resume" }).click({ timeout: 20_000 });
  await expect(state(b)).toContainText("Finished", { timeout: 40_000 });
  await expect(count(b, "invited")).toHaveText("5");
  await b.getByRole("button", { name: "Start a new import" }).click();
});
