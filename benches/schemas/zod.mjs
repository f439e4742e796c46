// docs/rules.md's rules as a zod 4 schema: every field's type, enum, length and form in the
// schema; what depends on the request as a whole in one `superRefine` (rules.mjs), run even
// when a field has the wrong type (`when`), so that all issues come at once.
import * as z from "zod";
import { ASPECT_RATIOS, KLING_MODELS, blank, blankId, callbackOk, codePoints, crossRules, httpUrl, model } from "./rules.mjs";

const text = (max) => z.string()
  .refine((s) => !blank(s), { params: { code: "prompt_required" } })
  .refine((s) => codePoints(s) <= max, { params: { code: "text_too_long" } });
const opt = (s) => s.nullish(); // docs/rules.md: null counts as absent
const nonBlank = z.string().refine((s) => !blank(s));
const url = (code) => z.string().refine(httpUrl, { params: { code } });
const taskId = z.string().refine((s) => !blankId(s), { params: { code: "external_task_id_invalid" } });

const image = z.looseObject({ image_url: z.string(), type: opt(z.enum(["first_frame", "end_frame"])) });
const element = z.looseObject({
  element_id: z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), nonBlank]),
});
const video = z.looseObject({
  video_url: url("video_url_invalid"),
  refer_type: opt(z.enum(["feature", "base"])),
  keep_original_sound: opt(z.enum(["yes", "no"])),
});
const common = {
  mode: opt(z.enum(["std", "pro"])),
  aspect_ratio: opt(z.enum(ASPECT_RATIOS)),
  image_list: opt(z.array(image)),
  video_list: opt(z.array(video)),
  external_task_id: opt(taskId),
};

// The flat body (o1; kling with kling-video-o1): O1's fields.
const flat = {
  element_list: opt(z.array(element)),
  duration: opt(z.string()),
  watermark_info: opt(z.looseObject({ enabled: opt(z.boolean()) })),
  callback_url: opt(z.string().refine(callbackOk, { params: { code: "callback_url_invalid" } })),
  ...common,
};
const o1Body = z.looseObject({ model_name: opt(z.literal("kling-video-o1")), prompt: text(2500), ...flat });
const shot = z.looseObject({ index: z.number().int(), prompt: z.string(), duration: z.string() });
// kling-v3-omni: the flat body plus sound and multi-shot; the prompt's presence and
// aspect_ratio's use depend on the request (rules.mjs).
const klingV3Body = z.looseObject({
  ...flat,
  model_name: z.literal("kling-v3-omni"),
  prompt: opt(z.string()),
  aspect_ratio: opt(z.unknown()),
  sound: opt(z.enum(["on", "off"])),
  multi_shot: opt(z.boolean()),
  shot_type: opt(z.enum(["customize"])),
  multi_prompt: opt(z.array(shot)),
});
// A model Kling's API does not take: invalid_value, then what both models share.
const klingUnknownBody = z.looseObject({ ...flat, model_name: z.enum(KLING_MODELS), prompt: text(2500), aspect_ratio: opt(z.unknown()) });
const v3Body = z.looseObject({
  model: z.literal("kling-v3-omni"),
  input: opt(z.looseObject({
    prompt: opt(z.string()),
    negative_prompt: opt(z.string().refine((s) => codePoints(s) <= 2500, { params: { code: "text_too_long" } })),
  })),
  parameters: opt(z.looseObject({
    duration: opt(z.number().int()),
    sound: opt(z.enum(["on", "off"])),
    multi_shot: opt(z.boolean()),
    shot_type: opt(z.enum(["customize"])),
    multi_prompt: opt(z.array(shot)),
    watermark_enabled: opt(z.boolean()),
    ...common,
  })),
});

const measured = (keys) => z.strictObject(Object.fromEntries(keys.map((k) => [k, (k === "format" ? z.string() : z.number()).optional()])));
const mediaFacts = z.strictObject({
  images: z.array(measured(["format", "bytes", "width", "height"]).nullable()).optional(),
  video: measured(["format", "bytes", "duration", "width", "height", "fps"]).nullable().optional(),
});

const refine = (provider, pick) => (value, ctx) => {
  const { request, media } = pick(value);
  crossRules(provider, request, media, (code, path, warning) =>
    ctx.addIssue({ code: "custom", message: code, path, params: { code, severity: warning ? "warning" : "error" } }));
};
const always = { when: () => true };
const schemas = {};
const bodies = { o1: o1Body, v3: v3Body, "kling-v3": klingV3Body, "kling-unknown": klingUnknownBody };
for (const provider of ["o1", "v3", "kling"]) {
  for (const [rules, body] of Object.entries(bodies)) {
    const name = `${provider}/${rules}`;
    schemas[name] = body.superRefine(refine(provider, (request) => ({ request })), always);
    schemas[name + "+media"] = z.object({ request: body, media: mediaFacts }).superRefine(refine(provider, (v) => v), always);
  }
}

/** `{ valid, issues }` for a request (an object), with optional measured media facts. */
export function validate(provider, request, media) {
  const name = `${provider}/${model(provider, request)}`;
  const r = media ? schemas[name + "+media"].safeParse({ request, media }) : schemas[name].safeParse(request);
  if (r.success) return { valid: true, issues: [] };
  const issues = r.error.issues;
  return { valid: issues.some((i) => i.params?.severity !== "warning") === false, issues };
}
