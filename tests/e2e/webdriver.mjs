// A small W3C WebDriver client (plain fetch to the driver's HTTP endpoint, no dependency)
// for the engines Playwright cannot drive here: Debian's Firefox ESR through geckodriver and
// WebKitGTK's MiniBrowser through WebKitWebDriver (the latter needs a display: xvfb-run).
//
//   const driver = await startDriver("firefox");            // or "webkit"
//   const s = await driver.session();                        // a fresh browser
//   await s.navigate(url); await s.execute("return document.title");
//   await s.close(); await driver.close();
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS } from "../chromium.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The WebDriver id of an element in a response. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** Where each engine's driver is, and the capabilities of a new session. */
export const ENGINES = {
  firefox: {
    driver: () => process.env.GECKODRIVER ?? path.join(homedir(), ".cargo", "bin", "geckodriver"),
    args: (port) => ["--port", String(port), "--log", "warn"],
    capabilities: () => {
      // The same preferences as the wasm suites (tests/firefox-webdriver.json, see the Makefile).
      // KLING_FIREFOX_DEFAULT_PREFS=1 leaves them out (to see what Firefox does by default).
      const committed = process.env.KLING_FIREFOX_DEFAULT_PREFS
        ? {}
        : JSON.parse(readFileSync(path.join(root, "tests", "firefox-webdriver.json"), "utf8"));
      const opts = committed["moz:firefoxOptions"] ?? {};
      return {
        browserName: "firefox",
        "moz:firefoxOptions": {
          ...opts,
          binary: process.env.FIREFOX ?? "/usr/bin/firefox-esr",
          args: ["-headless"],
          prefs: { ...opts.prefs, "media.autoplay.default": 0, "media.autoplay.blocking_policy": 0 },
        },
      };
    },
  },
  // Not used by `make test` (Chromium has its Playwright suite): for trying things out.
  chrome: {
    driver: () => process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver",
    args: (port) => [`--port=${port}`],
    capabilities: () => ({
      browserName: "chrome",
      "goog:chromeOptions": { binary: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    }),
  },
  webkit: {
    driver: () => process.env.WEBKITWEBDRIVER ?? "/usr/bin/WebKitWebDriver",
    args: (port) => [`--port=${port}`],
    // No options: WebKitWebDriver starts WebKitGTK's MiniBrowser (--automation) itself.
    capabilities: () => ({}),
  },
};

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A WebDriver error: the driver's `error` and `message`, and the command that failed. */
export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`${command}: ${status} ${value?.error ?? ""}: ${value?.message ?? JSON.stringify(value)}`);
    this.name = "WebDriverError";
    this.error = value?.error;
  }
}

async function call(base, method, route, body) {
  const res = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { value: { error: "not JSON", message: text.slice(0, 200) } }; }
  if (!res.ok) throw new WebDriverError(`${method} ${route}`, res.status, json.value);
  return json.value;
}

/**
 * Starts the engine's driver on a free port and waits until it is ready.
 * @param {"firefox"|"webkit"|"chrome"} engine
 */
export async function startDriver(engine) {
  const spec = ENGINES[engine];
  if (!spec) throw new Error(`unknown engine ${engine}`);
  const port = await freePort();
  // The driver's and the browser's own output (Firefox is chatty about its blocked
  // background requests): kept, and shown by `log()`, or as it comes with KLING_WEBDRIVER_LOG=1.
  const loud = Boolean(process.env.KLING_WEBDRIVER_LOG);
  const child = spawn(spec.driver(), spec.args(port), { stdio: ["ignore", loud ? "inherit" : "pipe", loud ? "inherit" : "pipe"] });
  let output = "";
  const keep = (chunk) => { output = (output + chunk).slice(-20_000); };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise((r) => child.once("exit", (code, sig) => r(`exited (${code ?? sig})`)));
  child.once("error", () => {});
  // Never outlive this process (a driver left behind keeps its browser running).
  const killChild = () => child.kill("SIGTERM");
  process.once("exit", killChild);
  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    const ready = await Promise.race([call(base, "GET", "/status").then((v) => v?.ready !== false, () => false), exited]);
    if (ready === true) break;
    if (typeof ready === "string") throw new Error(`${spec.driver()} ${ready}`);
    if (Date.now() - t0 > 20_000) { child.kill(); throw new Error(`${spec.driver()} not ready after 20 s`); }
    await sleep(100);
  }
  return {
    engine,
    url: base,
    /** The last 20 kB the driver and the browser wrote. */
    log: () => output,
    /** A new session (a new browser). */
    session: async () => {
      const v = await call(base, "POST", "/session", { capabilities: { alwaysMatch: spec.capabilities() } });
      return new Session(base, v.sessionId, v.capabilities);
    },
    close: async () => {
      process.off("exit", killChild);
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(3000)]);
    },
  };
}

/** One session: the commands the demo tests need. */
export class Session {
  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }
  cmd(method, route, body) { return call(this.base, method, `/session/${this.id}${route}`, body); }
  /** "firefox 153.8.0" or "MiniBrowser 2.50.6"-like: the browser the driver started. */
  get browser() { return `${this.capabilities.browserName} ${this.capabilities.browserVersion}`; }
  navigate(url) { return this.cmd("POST", "/url", { url }); }
  url() { return this.cmd("GET", "/url"); }
  /** Runs `script` (a function body; `arguments` are `args`) in the page and returns its value. */
  execute(script, ...args) { return this.cmd("POST", "/execute/sync", { script, args }); }
  /** The element for a CSS selector (throws "no such element"). */
  async find(css) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return v[ELEMENT];
  }
  /** Types `text` into the element (appends to what is there). */
  async sendKeys(css, text) { return this.cmd("POST", `/element/${await this.find(css)}/value`, { text }); }
  async clear(css) { return this.cmd("POST", `/element/${await this.find(css)}/clear`, {}); }
  async click(css) { return this.cmd("POST", `/element/${await this.find(css)}/click`, {}); }
  async text(css) { return this.cmd("GET", `/element/${await this.find(css)}/text`); }
  async attribute(css, name) { return this.cmd("GET", `/element/${await this.find(css)}/attribute/${name}`); }
  /** A PNG of the viewport, as a Buffer. */
  async screenshot() { return Buffer.from(await this.cmd("GET", "/screenshot"), "base64"); }
  /**
   * Waits until `script` (a function body, run in the page) returns a truthy value, and
   * returns it; throws with `what` after `timeout` ms.
   */
  async until(script, { args = [], timeout = 15000, what = script } = {}) {
    const t0 = Date.now();
    let last;
    for (;;) {
      try {
        last = await this.execute(script, ...args);
        if (last) return last;
      } catch (e) {
        last = e;
      }
      if (Date.now() - t0 > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${last})`);
      await sleep(50);
    }
  }
  close() { return call(this.base, "DELETE", `/session/${this.id}`); }
}
