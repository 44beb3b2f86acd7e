// Page objects and helpers shared by the specs.
import { expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";

export const simUrl = `http://127.0.0.1:${process.env.SIM_PORT || 8091}`;
export const STORAGE_KEY = "slack-admin-console.connection";
export const SHOTS = process.env.SCREENSHOTS || "../target/screenshots";

/** Collects page errors and console errors, so a test can assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}

export class ConnectPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Connect to Slack" });
    this.sandboxAs = page.getByLabel("Sign in as");
    this.openSandbox = page.getByRole("button", { name: "Open the sandbox" });
    this.token = page.getByLabel("Slack token");
    this.advanced = page.getByText("Advanced");
    this.baseUrl = page.getByLabel("API base URL");
    this.remember = page.getByLabel("Remember on this device");
    this.connect = page.getByRole("button", { name: "Connect", exact: true });
  }

  async goto(path = "./") {
    await this.page.goto(path);
    await expect(this.heading).toBeVisible();
  }

  async sandbox(token = "xoxp-sandbox-org-admin") {
    await this.sandboxAs.selectOption(token);
    await this.openSandbox.click();
  }

  async withToken(token, { baseUrl = `${simUrl}/api/`, remember = false } = {}) {
    await this.token.fill(token);
    if (baseUrl) {
      await this.advanced.click();
      await this.baseUrl.fill(baseUrl);
    }
    if (remember) await this.remember.check();
    await this.connect.click();
  }
}

export class OverviewPage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Overview", level: 1 });
    this.capabilities = page.locator(".capability");
    this.disconnect = page.getByRole("button", { name: "Disconnect" });
  }

  capability(label) {
    return this.page.locator(".capability", { hasText: label });
  }
}

/** No serious or critical axe-core violation. */
export async function expectAccessible(page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" | ")})`)).toEqual([]);
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}
