import { test, expect } from "@playwright/test";
import { ConnectPage, expectAccessible, screenshot, watchErrors } from "./console.js";

class InvitePage {
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Invite people", level: 1 });
    this.email = page.getByLabel("Email address");
    this.fullName = page.getByLabel("Full name");
    this.firstName = page.getByLabel("First name");
    this.lastName = page.getByLabel("Last name");
    this.channels = page.locator("#invite-channels");
    this.chips = page.getByRole("list", { name: "Chosen channels" }).getByRole("listitem");
    this.expiration = page.getByLabel(/Guest account expires/);
    this.message = page.getByLabel(/Message in the invitation email/);
    this.options = page.getByRole("listbox", { name: "Matching channels" }).getByRole("option");
    this.send = page.getByRole("button", { name: "Send invitation" });
    this.success = page.locator(".success-panel");
    this.alert = page.getByRole("alert");
  }

  async open(token = "xoxp-sandbox-org-admin") {
    const connect = new ConnectPage(this.page);
    await connect.goto();
    await connect.sandbox(token);
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
    await expect(this.heading).toBeVisible();
  }

  async type(label) {
    await this.page.getByLabel(label, { exact: true }).check();
  }

  async addChannel(name) {
    await this.channels.fill(name);
    await expect(this.options.first()).toContainText(`#${name}`);
    await expect(this.options.first()).toHaveAttribute("aria-selected", "true");
    await this.channels.press("Enter");
    await expect(this.chips.filter({ hasText: `#${name}` })).toHaveCount(1);
  }
}

test("a full member invite on Grid goes through admin.users.invite", async ({ page }) => {
  const errors = watchErrors(page);
  const invite = new InvitePage(page);
  await invite.open();
  await expect(page.getByText("Invitations are sent with admin.users.invite")).toBeVisible();
  await invite.email.fill("new.person01@northwind.example");
  await invite.fullName.fill("Nadia Person");
  await invite.addChannel("general");
  await invite.addChannel("design");
  await invite.message.fill("Welcome aboard!");
  await invite.send.click();
  await expect(invite.success).toContainText("Invitation sent to new.person01@northwind.example");
  await expect(invite.success).toContainText("admin.users.invite");
  expect(errors).toEqual([]);
});

test("a multi-channel guest with an expiration", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open();
  await invite.email.fill("guest.person02@partner.example");
  await invite.type("Multi-channel guest");
  await invite.addChannel("general");
  await invite.expiration.fill("2030-06-30T17:00");
  await invite.send.click();
  await expect(invite.success).toContainText("as multi-channel guest");
});

test("a single-channel guest gets exactly one channel", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open();
  await invite.email.fill("single.person03@partner.example");
  await invite.addChannel("general");
  await invite.addChannel("design");
  await invite.type("Single-channel guest");
  await expect(invite.chips).toHaveCount(1);
  await expect(invite.channels).toHaveAttribute("readonly", "");
  await invite.channels.focus();
  await invite.channels.press("Backspace");
  await expect(invite.chips).toHaveCount(0);
  await invite.addChannel("general");
  await invite.page.getByRole("button", { name: "Remove #general" }).click();
  await expect(invite.chips).toHaveCount(0);
  await invite.addChannel("random");
  await invite.send.click();
  await expect(invite.success).toContainText("as single-channel guest");
});

test("\"qwe\" is refused before sending, with what to fix; nothing typed is lost", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open();
  await invite.email.fill("qwe");
  await invite.fullName.fill("Kept Name");
  await invite.send.click();
  await expect(page.locator("#invite-email-error")).toContainText("qwe");
  await expect(page.locator("#invite-email-error")).toContainText("@");
  await expect(page.locator("#invite-channels-error")).toContainText("channel");
  await expect(invite.email).toHaveAttribute("aria-invalid", "true");
  await expect(invite.fullName).toHaveValue("Kept Name");
  await expect(invite.success).toHaveCount(0);
  await expect(invite.alert).toHaveCount(0);
});

test("a member's address gets the already_in_team sentence", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open();
  await invite.email.fill("priya.raman@northwind.example");
  await invite.addChannel("general");
  await invite.send.click();
  await expect(invite.alert).toContainText("already_in_team");
});

test("on Grid, resend is said to allow a later resend from Slack's admin pages, and no email is offered again", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open();
  await expect(page.getByLabel("Allow resending this invitation later from Slack's admin pages")).toBeVisible();
  await expect(page.locator("#invite-resend-help")).toContainText("does not email an address that was already invited");
  await invite.email.fill("noah.williams@northwind.example");
  await invite.addChannel("general");
  await invite.send.click();
  await expect(invite.alert).toContainText(/already_in_team_invited_user|already_invited/);
  // admin.users.invite would not send the email again: no button that promises it.
  await expect(page.getByRole("button", { name: "Resend the invitation" })).toHaveCount(0);
});

test("with a legacy token, an address already invited offers to resend, and the resend goes out", async ({ page }) => {
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-legacy");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  const invite = new InvitePage(page);
  await expect(page.getByLabel("Resend the email if this address was already invited")).toBeVisible();
  await invite.email.fill("apprentice@harborbakery.example");
  await invite.send.click();
  await expect(invite.alert).toContainText(/already_invited|already_in_team_invited_user/);
  await page.getByRole("button", { name: "Resend the invitation" }).click();
  await expect(invite.success).toContainText("apprentice@harborbakery.example");
});

test("SSO refuses a full member, explains why, and the guest offer works", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open("xoxp-sandbox-legacy-sso");
  await expect(page.getByText("users.admin.invite (legacy token)")).toBeVisible();
  await invite.email.fill("consultant04@fjord-partner.example");
  await invite.firstName.fill("Kari");
  await invite.lastName.fill("Nordmann");
  await invite.addChannel("general");
  await invite.send.click();
  await expect(invite.alert).toContainText("not_allowed");
  await expect(invite.alert).toContainText(/SSO|single sign-on/i);
  await page.getByRole("button", { name: "Invite as a multi-channel guest instead" }).click();
  await expect(invite.success).toContainText("as multi-channel guest");
  await expect(invite.success).toContainText("users.admin.invite");
});

test("choosing another workspace lists its channels", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open();
  await page.getByLabel("Workspace").selectOption({ label: "Northwind Labs" });
  await invite.channels.click();
  await expect(invite.options.first()).toBeVisible();
  await expect(invite.options.first()).toContainText("#");
  await invite.addChannel("general");
  await invite.email.fill("labs.person05@northwind.example");
  await invite.send.click();
  await expect(invite.success).toContainText("labs.person05@northwind.example");
});

test("a token that cannot invite is told why instead of shown a form", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open("xoxp-sandbox-member");
  await expect(invite.alert).toContainText("admin.users:write");
  await expect(invite.send).toHaveCount(0);
});

for (const scheme of ["light", "dark"]) {
  test(`the invite page is accessible (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const invite = new InvitePage(page);
    await invite.open();
    await invite.addChannel("general");
    await invite.type("Multi-channel guest");
    await expectAccessible(page);
    await screenshot(page, `invite-${scheme}`);
    await invite.email.fill("qwe");
    await invite.send.click();
    await expect(page.locator("#invite-email-error")).not.toBeEmpty();
    await expectAccessible(page);
    await screenshot(page, `invite-problems-${scheme}`);
  });
}

test("the channel picker works from the keyboard", async ({ page }) => {
  const invite = new InvitePage(page);
  await invite.open();
  await invite.channels.focus();
  await invite.channels.pressSequentially("gen");
  await expect(invite.options.first()).toContainText("#general");
  await invite.channels.press("ArrowDown");
  await invite.channels.press("ArrowUp");
  await invite.channels.press("Enter");
  await expect(invite.chips).toHaveCount(1);
  await expect(invite.page.getByRole("listbox", { name: "Matching channels" })).toBeHidden();
  await invite.channels.press("ArrowDown");
  await expect(invite.page.getByRole("listbox", { name: "Matching channels" })).toBeVisible();
  await invite.channels.press("Escape");
  await invite.channels.press("Backspace");
  await expect(invite.chips).toHaveCount(0);
});

test("token mode against slack-sim: a legacy token invites with first and last name", async ({ page }) => {
  const requests = [];
  page.on("request", (r) => r.url().includes("users.admin.invite") && requests.push(r.postData() || ""));
  const connect = new ConnectPage(page);
  await connect.goto();
  await connect.withToken("xoxp-sandbox-legacy");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Invite" }).click();
  const invite = new InvitePage(page);
  await expect(page.getByText("users.admin.invite (legacy token)")).toBeVisible();
  await invite.email.fill(`baker${Date.now() % 100000}@harborbakery.example`);
  await invite.firstName.fill("Ada");
  await invite.lastName.fill("Baker");
  await invite.type("Single-channel guest");
  await invite.addChannel("general");
  await invite.send.click();
  await expect(invite.success).toContainText("users.admin.invite");
  expect(requests).toHaveLength(1);
  const form = new URLSearchParams(requests[0]);
  expect(form.get("first_name")).toBe("Ada");
  expect(form.get("last_name")).toBe("Baker");
  expect(form.get("ultra_restricted")).toBe("true");
  expect(form.get("channels")).toMatch(/^C/);
});
