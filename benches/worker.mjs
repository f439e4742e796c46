// A dedicated module Worker the bench page starts: where the zod/valibot comparison is timed,
// with no DevTools attached (see benches/timing.mjs). One message in, one answer out:
// `{job, args}` → `{result}` or `{error}`.
import { benchBigImage, benchValidate } from "./timing.mjs";

const jobs = { validate: benchValidate, bigImage: benchBigImage };
self.onmessage = async ({ data: { job, args } }) => {
  try {
    self.postMessage({ result: await jobs[job](...args) });
  } catch (e) {
    self.postMessage({ error: String(e?.stack ?? e) });
  }
};
