// Every page in light and dark: an accessibility scan and a screenshot to look at.
import { test, expect } from "@playwright/test";
import { ConnectPage, OverviewPage, expectAccessible, screenshot } from "./console.js";

for (const scheme of ["light", "dark"]) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test(`connect page is accessible (${scheme})`, async ({ page }) => {
      const connect = new ConnectPage(page);
      await connect.goto();
      await expectAccessible(page);
      await screenshot(page, `connect-${scheme}`);
      await connect.withToken("xoxp-0000-not-a-real-token");
      await expect(page.getByRole("alert")).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `connect-error-${scheme}`);
    });

    test(`overview is accessible (${scheme})`, async ({ page }) => {
      const connect = new ConnectPage(page);
      await connect.goto();
      await connect.sandbox("xoxp-sandbox-legacy");
      await expect(new OverviewPage(page).heading).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `overview-legacy-${scheme}`);
      await page.getByRole("button", { name: "Disconnect" }).click();
      await connect.sandbox();
      await expect(new OverviewPage(page).heading).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `overview-${scheme}`);
    });

    test(`members page, its panel and a dry run are accessible (${scheme})`, async ({ page }) => {
      const connect = new ConnectPage(page);
      await connect.goto();
      await connect.sandbox();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
      await expect(page.getByRole("status").filter({ hasText: /members, via/ })).toContainText(/^[\d,]+ members, via admin\.users\.list\.$/, { timeout: 30_000 });
      const rows = page.locator(".members-table tbody tr:not(.spacer)");
      await rows.nth(0).getByRole("checkbox").click();
      await rows.nth(3).getByRole("checkbox").click({ modifiers: ["Shift"] });
      await page.getByLabel("Change", { exact: true }).selectOption({ label: "Make admin" });
      await page.getByRole("button", { name: "Preview the change" }).click();
      await expect(page.getByRole("region", { name: /^Dry run/ })).toBeVisible();
      await rows.nth(0).locator(".member-name").click();
      await expect(page.locator(".member-panel")).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `members-${scheme}`);
    });

    test(`invite requests, the keys and the history are accessible (${scheme})`, async ({ page }) => {
      const connect = new ConnectPage(page);
      await connect.goto();
      await connect.sandbox();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Requests/ }).click();
      await expect(page.getByText(/^Checked (just now|.* ago);/)).toBeVisible();
      await page.locator("body").press("j");
      await expectAccessible(page);
      await screenshot(page, `requests-${scheme}`);
      await page.keyboard.press("?");
      await expect(page.getByRole("dialog", { name: "Keys" })).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `requests-keys-${scheme}`);
      await page.keyboard.press("Escape");
      await page.getByRole("tab", { name: "Denied" }).click();
      await expect(page.locator(".history-table")).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `requests-denied-${scheme}`);
    });

    test(`not-found page is accessible (${scheme})`, async ({ page }) => {
      await page.goto("./nowhere");
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `not-found-${scheme}`);
    });
  });
}
