// A static server that behaves like GitHub Pages for the built app: files under BASE_PATH,
// and 404.html (the app itself) for any other path, so deep links and reloads work.
// With LOG_REQUESTS=1 it prints `served <file>` for every file it answers with (the size
// benchmark counts what a browser really fetches).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const dist = process.env.DIST;
const base = process.env.BASE_PATH || "/";
const port = Number(process.env.APP_PORT || 8090);
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
};

async function file(path) {
  try {
    const s = await stat(path);
    return s.isFile() ? await readFile(path) : null;
  } catch {
    return null;
  }
}

createServer(async (req, res) => {
  const url = new URL(req.url, "http://localhost");
  let body = null;
  let path = "";
  if (url.pathname.startsWith(base)) {
    const rel = normalize(decodeURIComponent(url.pathname.slice(base.length))).replace(/^(\.\.[/\\])+/, "");
    path = join(dist, rel === "." || rel === "" ? "index.html" : rel);
    body = await file(path);
  }
  if (body) {
    if (process.env.LOG_REQUESTS) console.log(`served ${path.slice(dist.length).replace(/^[/\\]+/, "")}`);
    res.writeHead(200, { "content-type": types[extname(path)] || "application/octet-stream", "cache-control": "no-store" });
  } else {
    body = (await file(join(dist, "404.html"))) || (await file(join(dist, "index.html")));
    res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
  }
  res.end(body);
}).listen(port, "127.0.0.1", () => console.log(`serving ${dist} at http://127.0.0.1:${port}${base}`));
