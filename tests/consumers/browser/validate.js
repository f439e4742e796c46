import init, { validate, allowedOptions, defaults } from "kling-omni";

await init(); // once: fetches and compiles kling_omni_bg.wasm

const report = validate("o1", { prompt: "猫".repeat(2612), duration: 5 }, null, { locale: "zh" });
console.log(report.valid);                     // false
console.log(report.errors.map((e) => e.code)); // ["text_too_long", "aspect_ratio_required", "invalid_type"]
console.log(report.errors[0].path, report.errors[0].message); // ["prompt"] "提示词有 2612 个字符，上限为 2500"

// What a form should offer now: with a first frame, O1 takes no aspect ratio, and 5 or 10 s.
const options = allowedOptions("o1", {
  prompt: "<<<image_1>>> waves",
  image_list: [{ image_url: "https://example.com/a.jpg", type: "first_frame" }],
});
console.log(options.scenario, options.duration, options.fields.aspect_ratio); // "first_frame" ["5", "10"] "unsupported"

// A starting request with the documented defaults (a V3Request in TypeScript).
const request = { ...defaults("v3"), input: { prompt: "a paper boat on a rainy street" } };
console.log(validate("v3", request).valid);    // true
