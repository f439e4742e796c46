// Debian's Chromium driven by playwright-core (installed in .tools/ by scripts/setup.sh), with
// the flags this closed network needs (without them Chromium stalls on background requests),
// in a fresh profile. Shared by the e2e suite, the consumer tests and the benchmarks.
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const { chromium } = createRequire(path.join(root, ".tools", "node_modules", "x.js"))("playwright-core");

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required",
];

/**
 * A persistent context in a new temporary profile, which its `close()` removes; `options` go
 * to playwright's launchPersistentContext.
 */
export async function launchChromium(options = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), "kling-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    await rm(profile, { recursive: true, force: true });
  };
  return context;
}
