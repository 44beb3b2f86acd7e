// A real slack-admin-proxy for a spec: its own data folder and keys, in front of the suite's
// slack-sim; its log is kept with the suite's logs (TEST_LOG_DIR), which `cargo xtask test`
// searches for secrets at the end, and checked here for the token and the keys.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { simUrl } from "./console.js";

const bin = process.env.SLACK_ADMIN_PROXY_BIN || "../target/debug/slack-admin-proxy";
export const TOKEN = "xoxp-sandbox-org-admin";

export function freePort() {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts a proxy. `keys`: [[name, readOnly]]; `origin`: the console's origin (allowed);
 * `rateScale`: times Slack's allowances; `env`: more environment. Returns
 * { url, keys, logs(), stop() }; stop() (awaited) keeps its log and fails if a secret is in it.
 */
export async function startProxy({ name, keys = [["ana", false]], origin, rateScale = 1000, env = {}, args = [] }) {
  const dataDir = mkdtempSync(join(tmpdir(), "proxy-e2e-"));
  const made = {};
  for (const [keyName, readOnly] of keys) {
    const a = ["keys", "add", keyName, "--data-dir", dataDir];
    if (readOnly) a.push("--read-only");
    made[keyName] = execFileSync(bin, a, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const serveArgs = ["serve", "--listen", `127.0.0.1:${port}`, "--slack-api-url", `${simUrl}/api/`, "--data-dir", dataDir, "--rate-scale", String(rateScale), ...args];
  if (origin) serveArgs.push("--allow-origin", origin);
  const child = spawn(bin, serveArgs, {
    env: { ...process.env, SLACK_ADMIN_TOKEN: TOKEN, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let logs = "";
  child.stdout.on("data", (d) => (logs += d));
  child.stderr.on("data", (d) => (logs += d));
  const proxy = {
    url,
    keys: made,
    dataDir,
    logs: () => logs,
    async stop() {
      // Its last lines come as it stops: wait for them before keeping the log.
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise((ok) => {
          child.once("exit", ok);
          child.kill();
        });
      }
      if (process.env.TEST_LOG_DIR) writeFileSync(join(process.env.TEST_LOG_DIR, `proxy-e2e-${name}-${port}.log`), logs);
      rmSync(dataDir, { recursive: true, force: true });
      const secrets = [TOKEN, ...Object.values(made), ...Object.values(env)];
      for (const s of secrets) if (s && logs.includes(s)) throw new Error(`a secret is in the proxy's log (${name})`);
    },
  };
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}proxy.json`)).ok) return proxy;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await proxy.stop();
  throw new Error(`the proxy did not start: ${logs}`);
}
