import init, { validate, applyFixes } from "kling-omni";

await init();

// A form sent O1's duration as a number, a pasted data: URL, and an aspect ratio that a
// first frame does not take.
const request = {
  prompt: "<<<image_1>>> waves",
  duration: 5,
  aspect_ratio: "16:9",
  image_list: [{ image_url: "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAoAAAAFoCAIAAAAAAAAAAAAAAElFTkSuQmCC", type: "first_frame" }],
};
const report = validate("o1", request);
console.log(report.errors.map((e) => [e.code, e.fix?.op ?? "none"]));
// [["aspect_ratio_not_supported", "remove"], ["invalid_type", "replace"], ["base64_data_uri_prefix", "replace"]]

// "Fix" beside one issue: that fix alone. The fixes are those of the request as it is now.
const one = applyFixes("o1", request, report.errors[1]);
console.log(one.request.duration, one.applied.length); // "5" 1

// "Fix all": a new object (request is untouched) and what was done.
const { request: fixed, applied } = applyFixes("o1", request, report);
console.log(applied.map((f) => `${f.op} ${f.path.join(".")}`), validate("o1", fixed).valid);
// ["remove aspect_ratio", "replace duration", "replace image_list.0.image_url"] true
