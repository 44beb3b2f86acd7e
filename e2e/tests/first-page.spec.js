import { test, expect } from "@playwright/test";

test("the first page shows the console's name and what it does", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto("./");
  await expect(page.locator(".brand-name")).toHaveText("Slack Admin Console");
  await expect(page).toHaveTitle("Slack Admin Console");
  await expect(page.getByText("Invite people, change roles and answer invite requests in Slack.")).toBeVisible();
  expect(errors).toEqual([]);
});
