// What the browser benchmarks share: Chromium's flags, a free port, the built app served by
// serve.mjs, a failure that is reported as a sentence, percentiles.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Debian's Chromium, headless, no network beyond loopback. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const chromiumPath = () => process.env.CHROMIUM || "/usr/bin/chromium";

/** A problem the benchmark reports as one line, without a stack. */
export class Failure extends Error {}
export const fail = (message) => {
  throw new Failure(message);
};

export function freePort() {
  return new Promise((ok, no) => {
    const s = createServer();
    s.once("error", no);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Waits until `url` answers (any status), or fails after `ms`. */
export async function answering(url, what, child, ms = 5_000) {
  for (let i = 0; i < ms / 50; i++) {
    if (child && child.exitCode !== null) fail(`${what} ended (${child.exitCode}) before answering at ${url}`);
    try {
      await fetch(url);
      return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (child) child.kill();
  fail(`${what} did not answer at ${url} within ${ms / 1000} s`);
}

/** serve.mjs serving the built app `dist` at `/` on a free port. */
export async function serveApp(dist) {
  const port = await freePort();
  const server = spawn(process.execPath, [join(here, "../serve.mjs")], {
    env: { ...process.env, DIST: dist, BASE_PATH: "/", APP_PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}/`;
  await answering(url, "serve.mjs", server);
  return { server, url };
}

/** The p-th percentile (nearest rank). */
export function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}

/** Runs `main`, printing a Failure as one line and anything else with its stack; exits 1. */
export async function report(name, main) {
  try {
    return await main();
  } catch (e) {
    console.error(`${name}: ${e instanceof Failure ? e.message : e.stack}`);
    process.exit(1);
  }
}
