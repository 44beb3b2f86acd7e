// Issue 8: safe on a shared origin, the base URL and the page's CSP agree, the token field is
// not a password field, the header never shows a broken image, channels say they are loading.
import { test, expect } from "@playwright/test";
import { ConnectPage, screenshot, simUrl, watchErrors } from "./console.js";

test("the token field is not offered to password managers", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  // No password field anywhere: a form with one looks like a login, and browsers offer to
  // save what is typed with this site's address.
  await expect(page.locator("input[type=password]")).toHaveCount(0);
  await expect(connect.token).toHaveAttribute("type", "text");
  await expect(connect.token).toHaveAttribute("autocomplete", "off");
  await expect(connect.token).toHaveAttribute("data-1p-ignore", "true");
  await expect(connect.token).toHaveAttribute("data-lpignore", "true");
  // Masked until asked.
  const masked = () => connect.token.evaluate((e) => getComputedStyle(e).webkitTextSecurity);
  expect(await masked()).toBe("disc");
  await page.getByRole("button", { name: "Show" }).click();
  expect(await masked()).toBe("none");
  await expect(page.getByRole("button", { name: "Hide" })).toBeVisible();
});

test("on a shared origin, remember is off by default and the page says why", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  // The e2e build is served under a sub-path, as on GitHub Pages.
  await expect(connect.remember).not.toBeChecked();
  const notice = page.locator("#remember-shared");
  await expect(notice).toContainText("Best left off here");
  await expect(notice).toContainText("could read what this page stores");
  await expect(notice).toContainText("an address of its own");
  await connect.remember.check();
  await expect(notice).toHaveClass(/warning/);
  await screenshot(page, "connect-shared-origin");
});

test("a base URL outside the page's Content-Security-Policy is refused with the true reason", async ({ page }) => {
  const requests = [];
  page.on("request", (r) => r.method() === "POST" && requests.push(r.url()));
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin", { baseUrl: "https://slack-proxy.example.com/api/" });
  const error = page.locator("#base-url-error");
  await expect(error).toContainText("Content-Security-Policy");
  await expect(error).toContainText("https://slack.com");
  await expect(error).toContainText("CONSOLE_CONNECT_SRC");
  await expect(error).not.toContainText("CORS");
  await expect(connect.baseUrl).toHaveValue("https://slack-proxy.example.com/api/");
  expect(requests).toEqual([]);
});

test("token mode against slack-sim: the header shows the org's initial, never a broken image", async ({ page }) => {
  const errors = watchErrors(page);
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin");
  const header = page.locator(".app-header");
  await expect(header.locator(".org-initial")).toHaveText("N");
  await expect(header.locator("img.org-icon")).toHaveCount(0);
  const broken = await page.evaluate(() =>
    [...document.images].filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.src),
  );
  expect(broken).toEqual([]);
  await screenshot(page, "overview-token-mode-initial");
  // The failed icon load is the browser's own message, not the app's.
  expect(errors.filter((e) => !/Content Security Policy|Failed to load resource|img-src/.test(e))).toEqual([]);
});

test("the channel picker says it is loading, not that nothing matches", async ({ page }) => {
  // Hold conversations.list until the page has shown its loading state.
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(`${simUrl}/api/conversations.list`, async (route) => {
    await held;
    await route.continue();
  });
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-org-admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  const channels = page.locator("#invite-channels");
  await expect(channels).toHaveAttribute("placeholder", "Loading channels…");
  await expect(page.getByText("No channel matches")).toHaveCount(0);
  release();
  await expect(channels).toHaveAttribute("placeholder", "Type a channel name");
  await channels.fill("gen");
  await expect(page.getByRole("listbox", { name: "Matching channels" }).getByRole("option").first()).toContainText("#general");
});

test("a page that frames the console gets no token from it", async ({ page }) => {
  const requests = [];
  page.on("request", (r) => r.method() === "POST" && requests.push(r.url()));
  // Another page frames the console.
  const url = test.info().project.use.baseURL;
  await page.setContent(`<iframe src="${url}" width="1000" height="800"></iframe>`);
  const frame = page.frameLocator("iframe");
  await expect(frame.getByRole("heading", { name: "Connect to Slack" })).toBeVisible();
  await frame.getByLabel("Slack token").fill("xoxp-sandbox-org-admin");
  await frame.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(frame.locator("#token-error")).toContainText("inside another page");
  expect(requests.filter((u) => u.includes("auth.test"))).toEqual([]);
});
