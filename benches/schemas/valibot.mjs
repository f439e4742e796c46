// docs/rules.md's rules as a valibot schema: every field's type, enum, length and form in the
// schema; what depends on the request as a whole in one `rawCheck` (rules.mjs), which
// valibot runs even when a field has the wrong type, so that all issues come at once.
import * as v from "valibot";
import { ASPECT_RATIOS, KLING_MODELS, blank, blankId, callbackOk, codePoints, crossRules, httpUrl, model } from "./rules.mjs";

const text = (max) => v.pipe(v.string(),
  v.check((s) => !blank(s), "prompt_required"),
  v.check((s) => codePoints(s) <= max, "text_too_long"));
const opt = (s) => v.nullish(s); // docs/rules.md: null counts as absent
const nonBlank = v.pipe(v.string(), v.check((s) => !blank(s)));
const url = (code) => v.pipe(v.string(), v.check(httpUrl, code));
const taskId = v.pipe(v.string(), v.check((s) => !blankId(s), "external_task_id_invalid"));

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
  external_task_id: opt(taskId),
};

// The flat body (o1; kling with kling-video-o1): O1's fields.
const flat = {
  element_list: opt(v.array(element)),
  duration: opt(v.string()),
  watermark_info: opt(v.looseObject({ enabled: opt(v.boolean()) })),
  callback_url: opt(v.pipe(v.string(), v.check(callbackOk, "callback_url_invalid"))),
  ...common,
};
const o1Body = v.looseObject({ model_name: opt(v.literal("kling-video-o1")), prompt: text(2500), ...flat });
const shot = v.looseObject({ index: v.pipe(v.number(), v.integer()), prompt: v.string(), duration: v.string() });
// kling-v3-omni: the flat body plus sound and multi-shot; the prompt's presence and
// aspect_ratio's use depend on the request (rules.mjs).
const klingV3Body = v.looseObject({
  ...flat,
  model_name: v.literal("kling-v3-omni"),
  prompt: opt(v.string()),
  aspect_ratio: opt(v.unknown()),
  sound: opt(v.picklist(["on", "off"])),
  multi_shot: opt(v.boolean()),
  shot_type: opt(v.picklist(["customize"])),
  multi_prompt: opt(v.array(shot)),
});
// A model Kling's API does not take: invalid_value, then what both models share.
const klingUnknownBody = v.looseObject({ ...flat, model_name: v.picklist(KLING_MODELS), prompt: text(2500), aspect_ratio: opt(v.unknown()) });
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
const bodies = { o1: o1Body, v3: v3Body, "kling-v3": klingV3Body, "kling-unknown": klingUnknownBody };
for (const provider of ["o1", "v3", "kling"]) {
  for (const [rules, body] of Object.entries(bodies)) {
    const name = `${provider}/${rules}`;
    schemas[name] = v.pipe(body, refine(provider, (request) => ({ request })));
    schemas[name + "+media"] = v.pipe(v.object({ request: body, media: mediaFacts }), refine(provider, (x) => x));
  }
}

/** `{ valid, issues }` for a request (an object), with optional measured media facts. */
export function validate(provider, request, media) {
  const name = `${provider}/${model(provider, request)}`;
  const r = media ? v.safeParse(schemas[name + "+media"], { request, media }) : v.safeParse(schemas[name], request);
  if (r.success) return { valid: true, issues: [] };
  return { valid: !r.issues.some((i) => !i.message.startsWith(WARNING)), issues: r.issues };
}
