// The first load is the entrance alone: the console module and the sandbox's worker arrive
// only when asked for, keep the tab's org, and say so when they cannot load.
import { test, expect } from "@playwright/test";
import { ConnectPage, OverviewPage, screenshot, watchErrors } from "./console.js";

// Worker scripts are fetched outside page.route's reach: these stand in for the browser's
// Worker to make the sandbox's worker fail to load, or wait until released.
function missingWorker() {
  const Real = window.Worker;
  window.Worker = class extends Real {
    constructor(url, options) {
      super(String(url).replace("sandbox-loader.js", "no-such-sandbox-loader.js"), options);
    }
  };
}

function heldWorker() {
  const Real = window.Worker;
  window.Worker = class {
    constructor(url, options) {
      this.queue = [];
      window.__releaseWorker = () => {
        this.real = new Real(url, options);
        this.real.onmessage = (e) => this.onmessage && this.onmessage(e);
        this.real.onerror = (e) => this.onerror && this.onerror(e);
        for (const m of this.queue) this.real.postMessage(m);
      };
    }
    postMessage(m) {
      if (this.real) this.real.postMessage(m);
      else this.queue.push(m);
    }
    terminate() {
      if (this.real) this.real.terminate();
    }
  };
}

const LATER = /console-loader\.js|console\.js|console_bg\.wasm|sandbox-loader\.js|sandbox-worker/;

async function inviteOnce(page, email) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Full name").fill("Tab Org");
  await page.locator("#invite-channels").fill("general");
  await expect(page.getByRole("listbox", { name: "Matching channels" }).getByRole("option").first()).toContainText("#general");
  await page.locator("#invite-channels").press("Enter");
  await page.getByRole("button", { name: "Send invitation" }).click();
}

test("the first load is the entrance; the console and the sandbox's worker come when asked for", async ({ page }) => {
  const errors = watchErrors(page);
  const fetched = [];
  page.on("request", (r) => fetched.push(r.url()));
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  const connect = new ConnectPage(page);
  await connect.goto();
  await page.waitForLoadState("networkidle");
  expect(fetched.filter((u) => LATER.test(u))).toEqual([]);
  expect(workers).toEqual([]);

  await connect.sandbox();
  await expect(new OverviewPage(page).heading).toBeVisible();
  // The console's files carry the entrance's hash, so two deployments never mix.
  const entrance = fetched.find((u) => /slack-admin-console-[0-9a-f]+\.js/.test(u));
  const hash = entrance.match(/slack-admin-console-([0-9a-f]+)\.js/)[1];
  expect(fetched.some((u) => u.includes(`console.js?v=${hash}`))).toBe(true);
  expect(fetched.some((u) => u.includes(`console_bg.wasm?v=${hash}`))).toBe(true);
  expect(workers).toHaveLength(1);
  expect(workers[0]).toContain(`sandbox-loader.js?v=${hash}`);
  // Only one app on the page.
  await expect(page.locator(".app-header")).toHaveCount(1);
  expect(errors).toEqual([]);
});

test("token mode never starts the sandbox's worker", async ({ page }) => {
  const workers = [];
  page.on("worker", (w) => workers.push(w.url()));
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin");
  await expect(new OverviewPage(page).heading).toBeVisible();
  expect(workers).toEqual([]);
});

test("the sandbox keeps one org for the tab; a reload starts a fresh one", async ({ page }) => {
  const connect = new ConnectPage(page);
  const overview = new OverviewPage(page);
  const email = "tab.org@northwind.example";
  await connect.goto();
  await connect.sandbox("xoxp-sandbox-org-admin");
  await inviteOnce(page, email);
  await expect(page.locator(".success-panel")).toContainText(`Invitation sent to ${email}`);

  // Signed in again as someone else, in the same tab: the invitation is still there.
  await overview.disconnect.click();
  await connect.sandbox("xoxp-sandbox-org-owner");
  await expect(page.locator(".app-header")).toContainText("ingrid.solberg");
  await inviteOnce(page, email);
  await expect(page.getByRole("alert")).toContainText(/already_invited|already_in_team_invited_user/);

  // A reload is a fresh org.
  await page.reload();
  await connect.sandbox("xoxp-sandbox-org-admin");
  await expect(page.locator(".app-header")).toContainText("mateo.garcia");
  await inviteOnce(page, email);
  await expect(page.locator(".success-panel")).toContainText(`Invitation sent to ${email}`);
});

test("when the sandbox cannot load, the page says so and a token still connects", async ({ page }) => {
  await page.addInitScript(missingWorker);
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("The sandbox org could not be loaded in this tab.");
  await expect(alert).toContainText("Connecting with a token still works.");
  await expect(alert).toContainText("sandbox_unavailable");
  await expect(connect.openSandbox).toBeEnabled();
  await screenshot(page, "connect-sandbox-failed");
  await connect.withToken("xoxp-sandbox-org-admin");
  await expect(new OverviewPage(page).heading).toBeVisible();
});

test("while the sandbox downloads, the connect page shows it", async ({ page }) => {
  await page.addInitScript(heldWorker);
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.sandbox();
  const status = page.getByRole("status").filter({ hasText: "Downloading the simulated org" });
  await expect(status).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Loading the sandbox org" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Opening…" })).toBeDisabled();
  await screenshot(page, "connect-sandbox-loading");
  await page.evaluate(() => window.__releaseWorker());
  await expect(new OverviewPage(page).heading).toBeVisible();
});

test("when the console cannot load, the connect page says so, and a reload recovers", async ({ page }) => {
  await page.route(/console_bg\.wasm/, (route) => route.abort());
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("the console's pages could not be loaded");
  await expect(alert).toContainText("Reload the page");
  await expect(alert).toContainText("console_unavailable");
  await page.unroute(/console_bg\.wasm/);
  await page.reload();
  await connect.withToken("xoxp-sandbox-org-admin");
  await expect(new OverviewPage(page).heading).toBeVisible();
});
