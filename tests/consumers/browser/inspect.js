import init, { inspectImage, validateWithMedia } from "kling-omni";

await init();

const picker = document.querySelector("#picker"); // <input type="file" id="picker" accept="image/*">
picker.addEventListener("change", async () => {
  const file = picker.files[0];
  // Reads the header bytes only (no decode): format, size, EXIF orientation.
  const info = await inspectImage(file);
  console.log(info.format, info.width, info.height, info.bytes, info.bytesRead); // "png" 200 200 590 590 (16 KB at most)

  // The picked file stands for image_list[0]: the media rules run before anything is uploaded.
  const request = {
    model: "kling-v3-omni",
    input: { prompt: "<<<image_1>>> starts to dance" },
    parameters: {
      aspect_ratio: "16:9",
      image_list: [{ image_url: "https://cdn.example.com/pending.png", type: "first_frame" }],
    },
  };
  const report = await validateWithMedia("v3", request, { images: [file] });
  console.log(report.valid, report.errors.map((e) => `${e.path.join(".")}: ${e.code}`));
  // false ["parameters.image_list.0.image_url: image_too_small"]
});
