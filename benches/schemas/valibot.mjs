// docs/rules.md's rules as a valibot schema: every field's type, enum, length and form in the
// schema; what depends on the request as a whole in one `rawCheck` (rules.mjs), which
// valibot runs even when a field has the wrong type, so that all issues come at once.
import * as v from "valibot";
import { ASPECT_RATIOS, blank, codePoints, crossRules, httpUrl } from "./rules.mjs";

const text = (max) => v.pipe(v.string(),
  v.check((s) => !blank(s), "prompt_required"),
  v.check((s) => codePoints(s) <= max, "text_too_long"));
const opt = (s) => v.nullish(s); // docs/rules.md: null counts as absent
const nonBlank = v.pipe(v.string(), v.check((s) => !blank(s)));
const url = (code) => v.pipe(v.string(), v.check(httpUrl, code));

const image = v.looseObject({ image_url: v.string(), type: opt(v.picklist(["first_frame", "end_frame"])) });
const element = v.looseObject({
  element_id: v.union([v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)), nonBlank]),
});
const video = v.looseObject({
  video_url: url("video_url_invalid"),
  refer_type: opt(v.picklist(["feature", "base"])),
  keep_original_sound: opt(v.picklist(["yes", "no"])),
});
const common = {
  mode: opt(v.picklist(["std", "pro"])),
  aspect_ratio: opt(v.picklist(ASPECT_RATIOS)),
  image_list: opt(v.array(image)),
  video_list: opt(v.array(video)),
  external_task_id: opt(nonBlank),
};

const o1Body = v.looseObject({
  model_name: opt(v.literal("kling-video-o1")),
  prompt: text(2500),
  element_list: opt(v.array(element)),
  duration: opt(v.string()),
  watermark_info: opt(v.looseObject({ enabled: opt(v.boolean()) })),
  callback_url: opt(url("callback_url_invalid")),
  ...common,
});
const shot = v.looseObject({ index: v.pipe(v.number(), v.integer()), prompt: v.string(), duration: v.string() });
const v3Body = v.looseObject({
  model: v.literal("kling-v3-omni"),
  input: opt(v.looseObject({
    prompt: opt(v.string()),
    negative_prompt: opt(v.pipe(v.string(), v.check((s) => codePoints(s) <= 2500, "text_too_long"))),
  })),
  parameters: opt(v.looseObject({
    duration: opt(v.pipe(v.number(), v.integer())),
    sound: opt(v.picklist(["on", "off"])),
    multi_shot: opt(v.boolean()),
    shot_type: opt(v.picklist(["customize"])),
    multi_prompt: opt(v.array(shot)),
    watermark_enabled: opt(v.boolean()),
    ...common,
  })),
});

const measured = (keys) => v.strictObject(Object.fromEntries(keys.map((k) => [k, v.optional(k === "format" ? v.string() : v.number())])));
const mediaFacts = v.strictObject({
  images: v.optional(v.array(v.nullable(measured(["format", "bytes", "width", "height"])))),
  video: v.optional(v.nullable(measured(["format", "bytes", "duration", "width", "height", "fps"]))),
});

const WARNING = "warning: ";
const refine = (provider, pick) => v.rawCheck(({ dataset, addIssue }) => {
  const { request, media } = pick(dataset.value);
  crossRules(provider, request, media, (code, path, warning) =>
    addIssue({ message: (warning ? WARNING : "") + code, path: path.map((key) => ({ type: "unknown", origin: "value", input: undefined, key, value: undefined })) }));
});
const schemas = {};
for (const [provider, body] of [["o1", o1Body], ["v3", v3Body]]) {
  schemas[provider] = v.pipe(body, refine(provider, (request) => ({ request })));
  schemas[provider + "+media"] = v.pipe(v.object({ request: body, media: mediaFacts }), refine(provider, (x) => x));
}

/** `{ valid, issues }` for a request (an object), with optional measured media facts. */
export function validate(provider, request, media) {
  const r = media ? v.safeParse(schemas[provider + "+media"], { request, media }) : v.safeParse(schemas[provider], request);
  if (r.success) return { valid: true, issues: [] };
  return { valid: !r.issues.some((i) => !i.message.startsWith(WARNING)), issues: r.issues };
}
