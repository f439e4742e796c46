// The Node entry of kling-omni (chosen by the "node" condition of package.json's exports).
// The same API as the web build beside it; only `init()` differs: Node's fetch cannot read
// a file: URL, so the wasm file next to this one is read from disk.
import { readFile } from "node:fs/promises";
import initWeb from "./kling_omni.js";

export * from "./kling_omni.js";

/**
 * Loads the wasm module. With no argument it reads `kling_omni_bg.wasm` beside this file;
 * anything else is passed on to the web build's `init` (bytes, a `WebAssembly.Module`, …).
 * Calling it again does nothing.
 */
export default async function init(input) {
  if (input === undefined) {
    input = { module_or_path: await readFile(new URL("./kling_omni_bg.wasm", import.meta.url)) };
  }
  return initWeb(input);
}
