import { test, expect } from "@playwright/test";
import { ConnectPage, OverviewPage, STORAGE_KEY, simUrl, watchErrors } from "./console.js";

test("sandbox connect shows the org and every capability", async ({ page }) => {
  const errors = watchErrors(page);
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox();
  const overview = new OverviewPage(page);
  await expect(overview.heading).toBeVisible();
  await expect(page.getByRole("heading", { name: "Northwind Trading", level: 2 })).toBeVisible();
  await expect(page.locator(".app-header")).toContainText("Northwind Trading");
  await expect(page.getByText("Enterprise Grid org admin token").first()).toBeVisible();
  await expect(overview.capabilities).toHaveCount(6);
  await expect(page.locator(".capability.yes")).toHaveCount(6);
  await expect(overview.capability("Invite people")).toContainText("admin.users.invite");
  await expect(page.getByText("Northwind Operations")).toBeVisible();
  expect(errors).toEqual([]);
});

// Each fixture token through token mode against a running slack-sim: the org, the kind of
// token, and what works.
const tokens = [
  {
    token: "xoxp-sandbox-org-admin",
    org: "Northwind Trading",
    kind: "Enterprise Grid org admin token",
    yes: ["Invite people", "Answer invite requests", "Change roles"],
    no: [],
    invite: "admin.users.invite",
  },
  {
    token: "xoxp-sandbox-org-owner",
    org: "Northwind Trading",
    kind: "Enterprise Grid org admin token",
    yes: ["Invite people", "Guest expiration"],
    no: [],
    invite: "admin.users.invite",
  },
  {
    token: "xoxp-sandbox-member",
    org: "Northwind Trading",
    kind: "Member token (no admin scopes)",
    yes: ["List members"],
    no: ["Invite people", "Change roles", "Answer invite requests"],
  },
  {
    token: "xoxp-sandbox-legacy",
    org: "Harbor Bakery Co-op",
    kind: "Legacy token",
    yes: ["Invite people"],
    no: ["Answer invite requests", "Change roles"],
    invite: "users.admin.invite",
    note: "admin.users.invite needs an Enterprise Grid org; this is a legacy token: invites will use users.admin.invite.",
  },
  {
    token: "xoxp-sandbox-legacy-sso",
    org: "Fjord Analytics",
    kind: "Legacy token",
    yes: ["Invite people"],
    no: ["Answer invite requests"],
    invite: "users.admin.invite",
  },
  {
    token: "xoxb-sandbox-bot",
    org: "Northwind Trading",
    kind: "Bot token",
    yes: ["Choose channels by name"],
    no: ["Invite people", "Change roles"],
  },
];

for (const t of tokens) {
  // Named without the token itself: test titles are in the suite's logs, searched for secrets.
  test(`token mode against slack-sim: the sandbox's ${t.token.replace(/^xox[a-z]-sandbox-/, "")} token`, async ({ page }) => {
    const connect = new ConnectPage(page);
    await connect.goto();
    await connect.withToken(t.token);
    const overview = new OverviewPage(page);
    await expect(overview.heading).toBeVisible();
    await expect(page.getByRole("heading", { name: t.org, level: 2 })).toBeVisible();
    await expect(page.locator(".facts")).toContainText(t.kind);
    for (const label of t.yes) await expect(overview.capability(label)).toHaveClass(/yes/);
    for (const label of t.no) await expect(overview.capability(label)).toHaveClass(/\bno\b/);
    if (t.invite) await expect(overview.capability("Invite people")).toContainText(t.invite);
    if (t.note) await expect(overview.capability("Invite people")).toContainText(t.note);
  });
}

test("a bad token shows the invalid_auth sentence, its fix and the code", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-0000-not-a-real-token");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Slack did not accept the token");
  await expect(alert).toContainText("invalid_auth");
  await expect(connect.heading).toBeVisible();
});

test("bad input is refused before sending, with what to fix", async ({ page }) => {
  const requests = [];
  page.on("request", (r) => r.url().startsWith(simUrl) && requests.push(r.url()));
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("hunter2", { baseUrl: "http://example.com/api/" });
  await expect(page.locator("#token-error")).toContainText("does not look like a Slack token");
  await expect(page.locator("#base-url-error")).toContainText("not encrypted");
  await expect(connect.token).toHaveValue("hunter2"); // nothing is lost
  expect(requests).toEqual([]);
});

test("a server that does not answer shows a network sentence, not a blank page", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin", { baseUrl: "http://127.0.0.1:9/api/" });
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("network_error");
  await expect(connect.heading).toBeVisible();
});

test("with remember, a reload stays connected; without, the connect page returns", async ({ page }) => {
  const connect = new ConnectPage(page);
  const overview = new OverviewPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin", { remember: true });
  await expect(overview.heading).toBeVisible();
  await page.reload();
  await expect(overview.heading).toBeVisible();
  await expect(page.locator(".app-header")).toContainText("Northwind Trading");

  await overview.disconnect.click();
  await expect(connect.heading).toBeVisible();
  expect(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY)).toBeNull();

  await connect.withToken("xoxp-sandbox-org-admin");
  await expect(overview.heading).toBeVisible();
  expect(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY)).toBeNull();
  await page.reload();
  await expect(connect.heading).toBeVisible();
});

test("disconnect wipes everything remembered", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.remember.check();
  await connect.sandbox();
  await expect(new OverviewPage(page).heading).toBeVisible();
  expect(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY)).not.toBeNull();
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(connect.heading).toBeVisible();
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
});

test("the token travels only to the base URL, in the body, and is never printed", async ({ page }) => {
  const token = "xoxp-sandbox-org-admin";
  const seen = [];
  page.on("request", (r) => seen.push({ url: r.url(), body: r.postData() || "", headers: r.headers() }));
  const logs = [];
  page.on("console", (m) => logs.push(m.text()));
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken(token, { remember: false });
  await expect(new OverviewPage(page).heading).toBeVisible();
  const base = `${simUrl}/api/`;
  const api = seen.filter((r) => r.url.startsWith(base));
  expect(api.length).toBeGreaterThan(0);
  for (const r of seen) {
    expect(r.url).not.toContain(token);
    expect(JSON.stringify(r.headers)).not.toContain(token);
    if (!r.url.startsWith(base)) expect(r.body).not.toContain(token);
  }
  for (const r of api) {
    expect(new URLSearchParams(r.body).get("token")).toBe(token);
    expect(r.headers["authorization"]).toBeUndefined();
  }
  expect(logs.join("\n")).not.toContain(token);
  expect(page.url()).not.toContain(token);
});

test("a deep link opened while disconnected lands on its page after connecting", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto("./overview");
  await connect.sandbox();
  await expect(new OverviewPage(page).heading).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/slack-admin-console/overview");
  await page.reload();
  await expect(connect.heading).toBeVisible();
});

test("an unknown path says so and links back", async ({ page }) => {
  await page.goto("./no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the start" }).click();
  await expect(new ConnectPage(page).heading).toBeVisible();
});

test("everything on the connect page works from the keyboard", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandboxAs.focus();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel(/Faster rate limits/)).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel(/A big org/)).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(connect.openSandbox).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(new OverviewPage(page).heading).toBeVisible();
});

test("navigation stays under the sub-path and marks the current page", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox();
  const nav = page.getByRole("navigation", { name: "Main" });
  const link = nav.getByRole("link", { name: "Overview" });
  await expect(link).toHaveAttribute("href", "/slack-admin-console/overview");
  await expect(link).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("Tab"); // the skip link comes first
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main")).toBeFocused();
  await expect(new OverviewPage(page).heading).toBeVisible();
});
