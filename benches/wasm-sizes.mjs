// Where a wasm module's bytes go, by function, from its name section (a `--profiling` build
// keeps one): `node benches/wasm-sizes.mjs <file.wasm> [top]`. Prints the sections, then the
// code grouped by crate/module path (the first `::` segments of the demangled-looking names),
// then the largest functions. No dependency: reads the binary format directly.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const b = readFileSync(file);
let p = 8;
const u32 = () => { let r = 0, s = 0, x; do { x = b[p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
const name = () => { const n = u32(); const s = b.subarray(p, p + n).toString("utf8"); p += n; return s; };
const sections = [], bodies = [], names = new Map();
let imports = 0, dataBytes = 0;
while (p < b.length) {
  const id = b[p++], size = u32(), start = p, end = p + size;
  let label = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount"][id] ?? String(id);
  if (id === 0) {
    const n = name(); label = `custom:${n}`;
    if (n === "name") {
      while (p < end) {
        const sub = b[p++], len = u32(), subEnd = p + len;
        if (sub === 1) { const count = u32(); for (let i = 0; i < count; i++) { const idx = u32(); names.set(idx, name()); } }
        p = subEnd;
      }
    }
  } else if (id === 2) {
    const count = u32();
    for (let i = 0; i < count; i++) { name(); name(); const kind = b[p++]; if (kind === 0) { imports++; u32(); } else if (kind === 1) { p++; const f = b[p++]; u32(); if (f & 1) u32(); } else if (kind === 2) { const f = b[p++]; u32(); if (f & 1) u32(); } else { p += 2; } }
  } else if (id === 10) {
    const count = u32();
    for (let i = 0; i < count; i++) { const len = u32(); bodies.push({ index: imports + i, bytes: b.subarray(p, p + len) }); p += len; }
  } else if (id === 11) dataBytes = size;
  sections.push({ label, size });
  p = end;
}
const total = b.length;
console.log(`${file}: ${total} B, gzip ${gzipSync(b, { level: 9 }).length} B`);
for (const s of sections) console.log(`  ${s.label.padEnd(24)} ${String(s.size).padStart(8)} B`);
const fn = bodies.map((f) => ({ name: names.get(f.index) ?? `func[${f.index}]`, size: f.bytes.length, gz: f.bytes }));
const group = (n) => {
  const m = n.replace(/^<(.*?)( as .*)?>::/, "$1::").replace(/\[[0-9a-f]+\]/g, "");
  const parts = m.split("::");
  if (parts[0] === "kling_omni") return parts.slice(0, 3).join("::");
  return parts.slice(0, parts[0] === "core" || parts[0] === "alloc" || parts[0] === "std" ? 2 : 1).join("::");
};
const groups = new Map();
for (const f of fn) { const g = group(f.name); const e = groups.get(g) ?? { size: 0, n: 0, parts: [] }; e.size += f.size; e.n++; e.parts.push(f.gz); groups.set(g, e); }
const code = fn.reduce((a, f) => a + f.size, 0);
console.log(`\ncode ${code} B in ${fn.length} functions; data ${dataBytes} B. By crate/module (raw B, gzip B of the bodies alone, functions):`);
for (const [g, e] of [...groups].sort((a, c) => c[1].size - a[1].size).slice(0, top))
  console.log(`  ${String(e.size).padStart(7)} ${String(gzipSync(Buffer.concat(e.parts), { level: 9 }).length).padStart(7)} ${String(e.n).padStart(5)}  ${g}`);
console.log(`\nlargest functions:`);
for (const f of [...fn].sort((a, c) => c.size - a.size).slice(0, top)) console.log(`  ${String(f.size).padStart(7)}  ${f.name.slice(0, 150)}`);
