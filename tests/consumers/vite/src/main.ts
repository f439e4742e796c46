// A Vite app: validates a request with the whole package and with `kling-omni/validator`,
// and inspects an image fetched as a Blob. Writes its results as JSON into #out.
import init, { validate, inspectImage, type Report, type ImageInfo } from "kling-omni";
import initValidator, { validate as validateOnly } from "kling-omni/validator";

await Promise.all([init(), initValidator()]);

const request = {
  model: "kling-v3-omni" as const,
  input: { prompt: "<<<image_2>>> in the rain" },
  parameters: { aspect_ratio: "16:9" as const, duration: 16, image_list: [{ image_url: "https://example.com/a.png" }] },
};
const report: Report = validate("v3", request);
const same: Report = validateOnly("v3", request);

const blob = await (await fetch("/image.png")).blob();
const info: ImageInfo = await inspectImage(blob);

const out = document.querySelector<HTMLPreElement>("#out");
if (out) {
  out.textContent = JSON.stringify({
    codes: report.errors.map((e) => `${e.path.join(".")}:${e.code}`),
    sameAsValidator: JSON.stringify(report) === JSON.stringify(same),
    image: { format: info.format, width: info.width, height: info.height, measuredBy: info.measuredBy },
  });
  out.dataset.done = "1";
}
