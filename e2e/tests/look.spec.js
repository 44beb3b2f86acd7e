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

    test(`not-found page is accessible (${scheme})`, async ({ page }) => {
      await page.goto("./nowhere");
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, `not-found-${scheme}`);
    });
  });
}
