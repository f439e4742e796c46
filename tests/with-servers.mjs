// Starts the test servers on 127.0.0.1 (ports chosen at run time), runs a command with
// their URLs in the environment, stops them, and exits with the command's status.
//
//   node tests/with-servers.mjs -- wasm-pack test --headless --chrome
//
// KLING_GATEWAY_URL         the fake gateway (tests/gateway.mjs), key "test-key"
// KLING_GATEWAY_KEEPALIVE_URL another one that keeps connections open (for reused-connection tests)
// KLING_FIXTURES_URL        tests/fixtures served with CORS headers
// KLING_FIXTURES_NOCORS_URL the same files without CORS headers
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const sep = process.argv.indexOf("--");
const cmd = sep >= 0 ? process.argv.slice(sep + 1) : process.argv.slice(2);
if (cmd.length === 0) {
  console.error("usage: node tests/with-servers.mjs -- <command> [args...]");
  process.exit(2);
}

const servers = [];
const env = { ...process.env };
const { startGateway } = await import("./gateway.mjs");
const gw = await startGateway();
servers.push(gw);
env.KLING_GATEWAY_URL = gw.url;
// Its own origin (port), so its open connections are never reused by the other tests' requests.
const gwKeepAlive = await startGateway({ keepAlive: true });
servers.push(gwKeepAlive);
env.KLING_GATEWAY_KEEPALIVE_URL = gwKeepAlive.url;
const { startFixtureServer } = await import("./fixture-server.mjs");
const root = path.join(here, "fixtures");
const withCors = await startFixtureServer({ root, cors: true });
const noCors = await startFixtureServer({ root, cors: false });
servers.push(withCors, noCors);
env.KLING_FIXTURES_URL = withCors.url;
env.KLING_FIXTURES_NOCORS_URL = noCors.url;
console.error(`with-servers: gateway ${gw.url} (keep-alive: ${gwKeepAlive.url}), fixtures ${withCors.url} (CORS) and ${noCors.url} (no CORS)`);

const child = spawn(cmd[0], cmd.slice(1), { stdio: "inherit", env });
const stop = async () => {
  for (const s of servers) await s.close().catch(() => {});
};
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", async (code, signal) => {
  await stop();
  process.exit(code ?? (signal ? 1 : 0));
});
