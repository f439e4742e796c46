// What each engine's own network stack does when a connection drops after the server read
// the request, before a byte of answer: does it send the request again by itself? A plain
// `fetch` in a page (no client), against the fake gateway twice: one that closes every
// connection (fresh connections) and one that keeps them open (the request may go on a
// reused connection: always after a CORS preflight). Prints one line per case. Not part of
// `make test`: the suites pin the results (tests/client_suite, each_engine_resends_...).
//
//   node tests/e2e/engine-resends.mjs chrome|firefox     xvfb-run -a node ... webkit
//   KLING_FIREFOX_DEFAULT_PREFS=1 node tests/e2e/engine-resends.mjs firefox   (Firefox as users have it)
import http from "node:http";
import { startGateway } from "../gateway.mjs";
import { startDriver } from "./webdriver.mjs";

const engine = process.argv[2];
const page = http.createServer((_, res) => { res.writeHead(200, { "content-type": "text/html" }); res.end("<!doctype html><title>engine</title>"); });
await new Promise((r) => page.listen(0, "127.0.0.1", r));
const gateways = [["fresh", await startGateway({})], ["keep-alive", await startGateway({ keepAlive: true })]];
const driver = await startDriver(engine);
const s = await driver.session();
try {
  console.log(`${s.browser}${process.env.KLING_FIREFOX_DEFAULT_PREFS ? " (default preferences)" : ""}`);
  await s.navigate(`http://127.0.0.1:${page.address().port}/`);
  // An async function run in the page; WebDriver waits for the promise it returns.
  const script = `return (async (...argv) => {
    const [base, scope, method, warm] = argv;
    const h = { authorization: "Bearer test-key", "content-type": "application/json", "x-test-scope": scope };
    const query = base + "/kling/v1/videos/omni-video/nope";
    if (warm) for (let i = 0; i < 2; i++) await (await fetch(query, { headers: h })).text();
    let error = null;
    try {
      await (method === "POST"
        ? fetch(base + "/kling/v1/videos/omni-video", { method, headers: { ...h, "x-fault": "create-drop" }, body: '{"prompt":"x"}' })
        : fetch(query, { headers: { ...h, "x-fault": "query-drop" } }));
    } catch (e) { error = String(e); }
    return { error, stats: await (await fetch(base + "/__stats?scope=" + scope)).json() };
  })(...arguments);`;
  for (const [name, gw] of gateways) {
    for (const method of ["POST", "GET"]) {
      for (const warm of [false, true]) {
        const scope = `${name}-${method}-${warm}-${Math.random()}`;
        const { error, stats } = await s.execute(script, gw.url, scope, method, warm);
        const sent = method === "POST" ? stats.createRequests : stats.queries - (warm ? 2 : 0);
        console.log(`${name.padEnd(10)} ${method.padEnd(4)} warmed=${String(warm).padEnd(5)} the server saw ${sent} (${error ? "fetch rejected" : "fetch answered"})`);
      }
    }
  }
} finally {
  await s.close().catch(() => {});
  await driver.close();
  for (const [, gw] of gateways) await gw.close();
  page.close();
}
