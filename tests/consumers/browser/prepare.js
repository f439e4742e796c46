import init, { prepareImage, validate } from "kling-omni";

await init();

const picker = document.querySelector("#image"); // <input type="file" id="image" accept="image/*">
picker.addEventListener("change", async () => {
  try {
    // Only what is needed: a 280 × 280 PNG becomes a 300 × 300 JPEG; a file that already
    // passes comes back as it is (the same Blob, no change).
    const image = await prepareImage(picker.files[0], { fit: "pad", background: "#000000" });
    console.log(image.format, image.width, image.height, image.bytes); // "jpeg" 300 300 …
    console.log(image.changes.map((c) => c.message));
    // ["converted from PNG to JPEG", "scaled up from 280×280 to 300×300 (shorter side at least 300 px)"]

    // image.blob to upload; image.base64 as image_url.
    const request = { prompt: "<<<image_1>>> waves", image_list: [{ image_url: image.base64, type: "first_frame" }] };
    console.log(validate("o1", request).valid); // true
  } catch (e) {
    // e.kind: "decode" (the browser cannot decode the file), "network" (a URL), "argument".
    console.log("cannot prepare this image:", e.kind, e.message);
  }
});
