// Assembles the npm package from the wasm-pack builds and packs it:
//
//   node scripts/package.mjs <full web build dir> <validator-only web build dir> <out dir>
//
// The package (one package, conditional exports):
//   kling_omni.js/.d.ts/_bg.wasm   the whole library (validate, inspect, client), web target
//   snippets/…/error.js            the KlingError class, imported by kling_omni.js
//   node.js                        its Node entry: the same API, init() reads the wasm from disk
//   validator/…                    the validator alone (`kling-omni/validator`), same layout
// Bundlers (Vite), a plain <script type="module">, and module Workers take the web build;
// Node takes node.js. Writes <out>/package/ and <out>/kling-omni-<version>.tgz.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const [full, validator, out] = process.argv.slice(2).map((p) => path.resolve(p));
if (!full || !validator || !out) {
  console.error("usage: node scripts/package.mjs <full build> <validator build> <out dir>");
  process.exit(2);
}

const cargo = readFileSync(path.join(root, "Cargo.toml"), "utf8");
const field = (name) => {
  const m = cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"));
  if (!m) throw new Error(`Cargo.toml has no ${name}`);
  return m[1];
};
const version = field("version");

// wasm-bindgen types the raw wasm exports in `InitOutput` with `any`. They are not API:
// the package exposes only `memory` there, so no `any` reaches a consumer.
function patchTypes(text, file) {
  const start = text.indexOf("export interface InitOutput {");
  if (start < 0) throw new Error(`${file}: no InitOutput interface`);
  const end = text.indexOf("\n}\n", start);
  text = text.slice(0, start) +
    "/** What `init` resolves with: the module's memory (its raw exports are not API). */\n" +
    "export interface InitOutput {\n    readonly memory: WebAssembly.Memory;\n}\n" +
    text.slice(end + 3);
  text = text
    .replace("export type InitInput =", "/** Where `init` loads the wasm from: a URL or request, a fetch Response, the bytes, or a compiled module. */\nexport type InitInput =")
    .replace("export type SyncInitInput =", "/** What `initSync` takes: the wasm bytes or a compiled module. */\nexport type SyncInitInput =");
  const any = text.split("\n").filter((l) => /\bany\b/.test(l) && !l.trim().startsWith("*"));
  if (any.length) throw new Error(`${file}: \`any\` in the public types:\n${any.join("\n")}`);
  return text;
}

function copyBuild(from, to) {
  mkdirSync(to, { recursive: true });
  for (const f of ["kling_omni.js", "kling_omni_bg.wasm"]) copyFileSync(path.join(from, f), path.join(to, f));
  // wasm-bindgen's JS snippets (the client's KlingError class), imported by the glue.
  if (existsSync(path.join(from, "snippets"))) cpSync(path.join(from, "snippets"), path.join(to, "snippets"), { recursive: true });
  const dts = readFileSync(path.join(from, "kling_omni.d.ts"), "utf8");
  writeFileSync(path.join(to, "kling_omni.d.ts"), patchTypes(dts, path.join(from, "kling_omni.d.ts")));
  copyFileSync(path.join(root, "npm/node.js"), path.join(to, "node.js"));
}

const pkgDir = path.join(out, "package");
rmSync(pkgDir, { recursive: true, force: true });
copyBuild(full, pkgDir);
copyBuild(validator, path.join(pkgDir, "validator"));
// docs/: the rules the README links (relative links, so they resolve in node_modules and
// offline, and they describe this version's rules, not the repository's latest).
const docs = ["docs/rules.md", "docs/sources/README.md", "docs/sources/o1-gateway.zh.txt", "docs/sources/v3-gateway.zh.txt"];
for (const f of ["README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE", ...docs]) {
  mkdirSync(path.dirname(path.join(pkgDir, f)), { recursive: true });
  copyFileSync(path.join(root, f), path.join(pkgDir, f));
}

const entry = (dir) => ({
  types: `./${dir}kling_omni.d.ts`,
  node: `./${dir}node.js`,
  default: `./${dir}kling_omni.js`,
});
const manifest = {
  name: "kling-omni",
  version,
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: `git+${field("repository")}.git` },
  homepage: `${field("repository")}#readme`,
  bugs: { url: `${field("repository")}/issues` },
  keywords: ["kling", "kling-ai", "omni", "video-generation", "validation", "wasm", "webassembly", "ai-video"],
  type: "module",
  main: "./node.js",
  module: "./kling_omni.js",
  browser: "./kling_omni.js",
  types: "./kling_omni.d.ts",
  exports: {
    ".": entry(""),
    "./validator": entry("validator/"),
    "./kling_omni_bg.wasm": "./kling_omni_bg.wasm",
    "./validator/kling_omni_bg.wasm": "./validator/kling_omni_bg.wasm",
    "./package.json": "./package.json",
  },
  typesVersions: { "*": { validator: ["./validator/kling_omni.d.ts"] } },
  // The glue only defines functions at import; nothing runs before `init()`.
  sideEffects: false,
  files: [
    "kling_omni.js", "kling_omni.d.ts", "kling_omni_bg.wasm", "node.js", "snippets/",
    "validator/kling_omni.js", "validator/kling_omni.d.ts", "validator/kling_omni_bg.wasm", "validator/node.js",
    "README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE", ...docs,
  ],
  engines: { node: ">=20" },
};
writeFileSync(path.join(pkgDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

const packed = execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: pkgDir, encoding: "utf8" });
const info = JSON.parse(packed)[0];
console.log(`${path.join(out, info.filename)}: ${info.size} bytes packed, ${info.unpackedSize} unpacked, ${info.entryCount} files`);
