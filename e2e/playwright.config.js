// Playwright drives Debian's Chromium (no browser download). `cargo xtask test` sets the
// variables; see README for running it by hand.
import { defineConfig } from "@playwright/test";

const appPort = Number(process.env.APP_PORT || 8090);
const simPort = Number(process.env.SIM_PORT || 8091);
const basePath = process.env.BASE_PATH || "/slack-admin-console/";
const simBin = process.env.SLACK_SIM_BIN || "../target/debug/slack-sim";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  outputDir: "./test-results",
  use: {
    baseURL: `http://127.0.0.1:${appPort}${basePath}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      command: "node serve.mjs",
      url: `http://127.0.0.1:${appPort}${basePath}`,
      reuseExistingServer: false,
      env: { DIST: process.env.DIST || "../target/e2e-dist", BASE_PATH: basePath, APP_PORT: String(appPort) },
    },
    {
      command: `${simBin} --listen 127.0.0.1:${simPort} --rate-scale 1000`,
      url: `http://127.0.0.1:${simPort}/api/api.test`,
      reuseExistingServer: false,
      // Its log joins the suite's output, which `cargo xtask test` searches for secrets.
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
  metadata: { simUrl: `http://127.0.0.1:${simPort}` },
});
