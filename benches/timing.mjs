// The validation timings, shared by the page (benches/harness.mjs) and the dedicated Worker it
// starts (benches/worker.mjs). The comparison with zod and valibot is reported from the
// Worker: no DevTools is attached there, while on a page Playwright drives every `new Error()`
// costs 3–7 µs instead of about 1.2 (zod builds one per invalid input). The page's figures are
// reported beside them.
export const now = () => performance.now();
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

/** Median µs per call of a synchronous function. */
export function perCall(fn, samples = 15, minMs = 5) {
  let k = 1;
  for (;;) { const t = now(); for (let i = 0; i < k; i++) fn(); if (now() - t >= minMs) break; k *= 2; }
  const xs = [];
  for (let j = 0; j < samples; j++) { const t = now(); for (let i = 0; i < k; i++) fn(); xs.push(((now() - t) / k) * 1000); }
  return median(xs);
}

/** The three validators: the wasm (validator build), zod's and valibot's schemas. */
export async function load(validator) {
  const kling = await import(`/${validator}/kling_omni.js`);
  await kling.default();
  const zod = await import("/benches/out/zod.js");
  const valibot = await import("/benches/out/valibot.js");
  return { kling, zod, valibot };
}

/** Per request: verdicts and median µs per call of each library, object and JSON text. */
export async function benchValidate(validator, cases) {
  const { kling, zod, valibot } = await load(validator);
  // Warm-up: every library runs every case for a while first, so that no figure is taken
  // while its code is still unoptimised (V8 tiers wasm up from Liftoff to TurboFan, and JS
  // from Ignition up, only once a function has run for a while).
  const texts = cases.map((c) => JSON.stringify(c.request));
  const until = now() + 1500;
  while (now() < until) {
    cases.forEach((c, i) => {
      kling.validate(c.provider, c.request, c.media ?? null);
      kling.validate(c.provider, texts[i], c.media ?? null);
      zod.validate(c.provider, c.request, c.media);
      zod.validate(c.provider, JSON.parse(texts[i]), c.media);
      valibot.validate(c.provider, c.request, c.media);
      valibot.validate(c.provider, JSON.parse(texts[i]), c.media);
    });
  }
  const out = [];
  for (const c of cases) {
    const text = JSON.stringify(c.request);
    const media = c.media ?? null;
    const verdicts = {
      kling: kling.validate(c.provider, c.request, media).valid,
      zod: zod.validate(c.provider, c.request, c.media).valid,
      valibot: valibot.validate(c.provider, c.request, c.media).valid,
    };
    out.push({
      name: c.name, provider: c.provider, verdicts,
      kling_object_us: perCall(() => kling.validate(c.provider, c.request, media)),
      kling_text_us: perCall(() => kling.validate(c.provider, text, media)),
      zod_object_us: perCall(() => zod.validate(c.provider, c.request, c.media)),
      zod_text_us: perCall(() => zod.validate(c.provider, JSON.parse(text), c.media)),
      valibot_object_us: perCall(() => valibot.validate(c.provider, c.request, c.media)),
      valibot_text_us: perCall(() => valibot.validate(c.provider, JSON.parse(text), c.media)),
    });
  }
  return out;
}

/**
 * `validate()` on an O1 request whose first frame is a picked JPEG as Base64 (the bytes of
 * `url`, ~10 MB, ~13 MB of text), as a form does on each keystroke: "again" is the same
 * string object each call; "first" a string never seen before (one character changed far
 * past the header, so the report is the same), made flat before it is timed, as a
 * `FileReader` result is. Medians of `runs` single calls, in ms; zod's and valibot's beside.
 */
export async function benchBigImage(validator, url, runs = 7) {
  const { kling, zod, valibot } = await load(validator);
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  const ascii = new TextEncoder().encode(btoa(bin));
  bin = "";
  const fresh = (n) => { ascii[ascii.length >> 1] = 65 + (n % 26); return new TextDecoder().decode(ascii); };
  const request = (s) => ({ prompt: "the picture comes alive", image_list: [{ image_url: s, type: "first_frame" }], duration: "5" });
  const time = (fn) => { const t = now(); fn(); return now() - t; };
  const same = request(fresh(0));
  const report = kling.validate("o1", same);
  const again = [], first = [], zodMs = [], valibotMs = [];
  for (let i = 0; i < runs; i++) again.push(time(() => kling.validate("o1", same)));
  for (let i = 1; i <= runs; i++) {
    const r = request(fresh(i));
    first.push(time(() => kling.validate("o1", r)));
  }
  for (let i = 0; i < runs; i++) {
    zodMs.push(time(() => zod.validate("o1", same)));
    valibotMs.push(time(() => valibot.validate("o1", same)));
  }
  return {
    file_bytes: bytes.length, chars: ascii.length,
    codes: report.errors.concat(report.warnings).map((i) => i.code),
    again_ms: median(again), first_ms: median(first), zod_ms: median(zodMs), valibot_ms: median(valibotMs),
  };
}
