// Type-checked with `tsc --strict --noEmit` (TypeScript 5 and 7): uses every export of
// `kling-omni` and `kling-omni/validator`, and proves with @ts-expect-error that the types
// reject what the library would. Never run.
import init, {
  initSync,
  validate,
  allowedOptions,
  defaults,
  inspectImage,
  inspectVideo,
  inspectRequest,
  validateWithMedia,
  KlingClient,
  KlingError,
  isKlingError,
  applyFixes,
  prepareImage,
  klingSchema,
  flattenIssues,
  klingToken,
  parseCallback,
  KLING_API_SINGAPORE,
  KLING_API_BEIJING,
  type AllowedOptions,
  type AppliedFix,
  type Fix,
  type FixResult,
  type FixSelection,
  type ImageChange,
  type ImageChangeCode,
  type KlingPrepareError,
  type PreparedImage,
  type PrepareImageOptions,
  type FlattenedIssues,
  type IssuesInput,
  type KlingSchema,
  type KlingSchemaOptions,
  type KlingSchemaProps,
  type KlingSchemaResult,
  type StandardSchemaV1,
  type AnyRequest,
  type FieldUse,
  type ImageFacts,
  type ImageInfo,
  type InitInput,
  type InitOutput,
  type Issue,
  type IssueCode,
  type KlingAbortedError,
  type KlingApiError,
  type KlingArgumentError,
  type KlingClientOptions,
  type KlingGenerateOptions,
  type KlingHttpStatusError,
  type KlingImageItem,
  type KlingInvalidResponseError,
  type KlingListOptions,
  type KlingTokenOptions,
  type KlingNetworkError,
  type KlingRequest,
  type KlingSubmitOptions,
  type KlingSubmitResult,
  type KlingTask,
  type KlingTaskFailedError,
  type KlingTaskStatus,
  type KlingTimeoutError,
  type KlingV3OmniRequest,
  type KlingValidationError,
  type KlingVideo,
  type KlingVideoItem,
  type KlingWaitOptions,
  type MeasuredBy,
  type MediaFacts,
  type MediaFiles,
  type MediaSource,
  type O1Request,
  type PathSegment,
  type Provider,
  type Report,
  type RequestInput,
  type Scenario,
  type SyncInitInput,
  type UntypedRequest,
  type V3Request,
  type V3Shot,
  type ValidateOptions,
  type VideoFacts,
  type VideoInfo,
} from "kling-omni";
import initValidator, {
  initSync as initValidatorSync,
  validate as validateOnly,
  allowedOptions as allowedOptionsOnly,
  defaults as defaultsOnly,
} from "kling-omni/validator";
import type { StandardSchemaV1 as Spec } from "@standard-schema/spec";

export async function all(bytes: BufferSource, file: File, signal: AbortSignal): Promise<string[]> {
  const out: InitOutput = await init();
  const mem: WebAssembly.Memory = out.memory;
  const input: InitInput = new URL("https://cdn.example.com/kling_omni_bg.wasm");
  void input;
  const sync: SyncInitInput = bytes;
  initSync({ module: sync });
  await initValidator();
  initValidatorSync({ module: bytes });

  // Requests: typed bodies, untyped objects and JSON text are all accepted.
  const o1: O1Request = { prompt: "<<<image_1>>> runs", image_list: [{ image_url: "https://e.com/a.jpg", type: "first_frame" }], duration: "5" };
  const image: KlingImageItem = { image_url: "aGVsbG8=" };
  const video: KlingVideoItem = { video_url: "https://e.com/v.mp4", refer_type: "feature", keep_original_sound: "no" };
  const shot: V3Shot = { index: 1, prompt: "a", duration: "5" };
  const v3: V3Request = { model: "kling-v3-omni", parameters: { multi_shot: true, shot_type: "customize", multi_prompt: [shot], image_list: [image], video_list: [video] } };
  const any: UntypedRequest = JSON.parse('{"prompt": 5}') as UntypedRequest;
  const inputs: RequestInput[] = [o1, v3, any, "{}"];
  const requests: AnyRequest[] = [o1, v3, defaults("o1"), defaults("v3")];
  const fromDefaults: O1Request = defaults("o1");
  const v3Defaults: V3Request = defaults("v3");
  // Kling's own API: the flat body, discriminated by model_name.
  const k3: KlingV3OmniRequest = defaults("kling", { model: "kling-v3-omni" });
  const k3Shots: KlingV3OmniRequest = { model_name: "kling-v3-omni", prompt: "", duration: "15", sound: "on", multi_shot: true, shot_type: "customize", multi_prompt: [shot] };
  const kling: KlingRequest[] = [o1, k3, k3Shots, defaults("kling")];
  validate("kling", k3Shots);
  void requests; void fromDefaults; void v3Defaults; void kling;

  const provider: Provider = "v3";
  const options: ValidateOptions = { locale: "zh" };
  const facts: MediaFacts = { images: [{ format: "png", bytes: 1, width: 300, height: 300 } satisfies ImageFacts, null], video: null };
  const vf: VideoFacts = { format: "mp4", bytes: 1, duration: 5, width: 1280, height: 720, fps: 30 };
  void vf;
  const report: Report = validate(provider, inputs[1], facts, options);
  const scenario: Scenario = report.scenario;
  const issue: Issue | undefined = report.errors[0];
  const code: IssueCode | undefined = issue?.code;
  const path: PathSegment[] = issue?.path ?? [];
  const unverified: PathSegment[][] = report.unverified;
  const allowed: AllowedOptions = allowedOptions("o1", o1);
  const use: FieldUse | undefined = allowed.fields["aspect_ratio"];
  // Fixes: one issue, some, or a whole report; the result keeps the request's type.
  const fix: Fix | undefined = issue?.fix;
  const selection: FixSelection = issue ? [issue] : report;
  const fixed: FixResult<O1Request> = applyFixes("o1", o1, selection);
  const firstFix: AppliedFix | undefined = fixed.applied[0];
  const fixedO1: O1Request = fixed.request;
  const fromText: UntypedRequest = applyFixes("v3", "{}").request;
  void fix; void firstFix?.code; void fixedO1; void fromText;

  // Standard Schema: @standard-schema/spec's own types take the schema and infer the
  // provider's request type; our declaration of the interface is the same.
  const schemaOptions: KlingSchemaOptions = { locale: "zh" };
  const o1Schema: KlingSchema<O1Request> = klingSchema("o1", schemaOptions);
  const asSpec: Spec<unknown, O1Request> = o1Schema;
  const ours: StandardSchemaV1<unknown, V3Request> = klingSchema("v3");
  const inferred: Spec.InferOutput<typeof asSpec> = o1;
  const inferredV3: StandardSchemaV1.InferOutput<typeof ours> = v3;
  const klingSpec: Spec<unknown, KlingRequest> = klingSchema("kling");
  const props: KlingSchemaProps<O1Request> = o1Schema["~standard"];
  const checked: KlingSchemaResult<O1Request> = props.validate(o1);
  const output: O1Request | undefined = checked.issues ? undefined : checked.value;
  const flat: FlattenedIssues = flattenIssues(checked);
  const fromWarnings: IssuesInput = checked.warnings;
  void inferred; void inferredV3; void klingSpec; void output; void flat.fieldErrors["duration"];
  void flattenIssues(fromWarnings).formErrors; void flattenIssues(report);
  // @ts-expect-error: a V3 schema does not give O1 requests
  const wrongSchema: Spec<unknown, O1Request> = klingSchema("v3");
  void wrongSchema;
  void validateOnly("o1", "{}").valid;
  void allowedOptionsOnly("v3", v3).duration;
  void defaultsOnly("v3").model;

  // Media.
  const source: MediaSource = file;
  const info: ImageInfo = await inspectImage(source);
  const by: MeasuredBy = info.measuredBy;
  const vinfo: VideoInfo = await inspectVideo("https://e.com/v.mp4");
  const files: MediaFiles = { images: [file, null], video: file };
  const measured: MediaFacts = await inspectRequest("v3", v3, files);
  const withMedia: Report = await validateWithMedia("o1", o1, files, { locale: "en" });
  const prepareOptions: PrepareImageOptions = { maxBytes: 5_000_000, fit: "crop", background: "#fff", locale: "zh" };
  const prepared: PreparedImage = await prepareImage(file, prepareOptions);
  const change: ImageChange | undefined = prepared.changes[0];
  const changeCode: ImageChangeCode | undefined = change?.code;
  const preparedBlob: Blob = prepared.blob;
  const asImageUrl: KlingImageItem = { image_url: prepared.base64 };
  const prepareFailure = (e: KlingPrepareError): string => `${e.kind} ${e.message}`;
  void changeCode; void preparedBlob; void asImageUrl; void prepareFailure;
  // @ts-expect-error: fit is "pad" or "crop"
  void prepareImage(file, { fit: "stretch" });
  void measured; void withMedia; void vinfo.rotation;

  // The client.
  const clientOptions: KlingClientOptions = {
    provider: "o1", baseUrl: "https://proxy.example.com", headers: { "x-csrf": "t" }, timeoutMs: 10_000,
    poll: { intervalMs: 1000 }, retry: { maxRetries: 1 }, autoExternalId: true, locale: "zh",
  };
  const client = new KlingClient(clientOptions);
  const which: Provider = client.provider;
  const base: string = client.baseUrl;
  const submitOptions: KlingSubmitOptions = { signal, validate: true, media: facts };
  const submitted: KlingSubmitResult = await client.submit(o1, submitOptions);
  const waitOptions: KlingWaitOptions = { signal, timeoutMs: 60_000, onProgress: (t: KlingTask) => void t.status };
  const task: KlingTask = await client.wait(submitted.taskId, waitOptions);
  const status: KlingTaskStatus = task.status;
  const videos: KlingVideo[] = task.videos;
  const again: KlingTask = await client.get(task.taskId, { signal });
  const byExternal: KlingTask = await client.getByExternalId("my-id", { signal });
  const generateOptions: KlingGenerateOptions = { ...submitOptions, ...waitOptions };
  const done: KlingTask = await client.generate(v3, generateOptions);
  client.free();
  void again; void byExternal; void done;

  // Kling's own API: the client mints its tokens on a server; a token minted elsewhere is an apiKey.
  const tokenOptions: KlingTokenOptions = { accessKey: "ak", secretKey: "sk", ttlSeconds: 600 };
  const token: string = await klingToken(tokenOptions);
  const host: "https://api-singapore.klingai.com" | "https://api-beijing.klingai.com" =
    Math.random() > 0.5 ? KLING_API_SINGAPORE : KLING_API_BEIJING;
  const klingClient = new KlingClient({ provider: "kling", baseUrl: host, accessKey: "ak", secretKey: "sk", tokenTtlSeconds: 900 });
  const minted = new KlingClient({ provider: "kling", baseUrl: host, apiKey: token, dangerouslyAllowBrowser: false });
  const listOptions: KlingListOptions = { pageNum: 2, pageSize: 50, signal };
  const page: KlingTask[] = await klingClient.list(listOptions);
  const units: string | undefined = page[0]?.units;
  const watermarked: string | undefined = page[0]?.videos[0]?.watermarkUrl;
  const told: KlingTask = parseCallback('{"task_id":"t","task_status":"succeed"}');
  const confirmed: KlingTask = await minted.get(parseCallback({ task_id: "t", task_status: "succeed" }).taskId);
  void units; void watermarked; void told; void confirmed;

  // Errors narrow by `kind`.
  const describe = (e: unknown): string => {
    if (!isKlingError(e)) return "other";
    const err: KlingError = e;
    switch (err.kind) {
      case "validation": { const x: KlingValidationError = err; return x.report.errors.map((i) => i.code).join(); }
      case "network": { const x: KlingNetworkError = err; return x.message; }
      case "timeout": { const x: KlingTimeoutError = err; return String(x.timeoutMs); }
      case "aborted": { const x: KlingAbortedError = err; return x.name; }
      case "http_status": { const x: KlingHttpStatusError = err; return String(x.status); }
      case "api": { const x: KlingApiError = err; return `${x.code} ${x.category ?? ""} ${x.providerMessage ?? ""}`; }
      case "task_failed": { const x: KlingTaskFailedError = err; return x.task.failure?.message ?? x.taskId; }
      case "invalid_response": { const x: KlingInvalidResponseError = err; return String(x.status); }
      case "argument": { const x: KlingArgumentError = err; return String(x.retryable || x.ambiguous); }
    }
  };

  // `instanceof KlingError` narrows to the same union; `cause` is fetch's own error.
  const viaClass = (e: unknown): string => (e instanceof KlingError ? `${e.kind} ${String(e.cause ?? "")}` : "other");

  // What the types refuse.
  // @ts-expect-error: only the client makes KlingErrors
  new KlingError();
  // @ts-expect-error: an unknown provider
  validate("o2", o1);
  // @ts-expect-error: an O1 duration is a string
  const badDuration: O1Request = { prompt: "x", duration: 5 };
  // @ts-expect-error: V3 takes whole seconds as a number
  const badV3: V3Request = { model: "kling-v3-omni", parameters: { duration: "5" } };
  // @ts-expect-error: O1 defaults have no `model`
  void defaults("o1").model;
  // @ts-expect-error: the provider is required
  new KlingClient({ apiKey: "k" });
  // @ts-expect-error: kling-video-o1 has no sound
  const badKling: KlingRequest = { model_name: "kling-video-o1", prompt: "x", sound: "on" };
  // @ts-expect-error: kling-v3-omni durations stop at "15"
  const badKlingDuration: KlingRequest = { model_name: "kling-v3-omni", prompt: "x", duration: "16" };
  void badKling; void badKlingDuration;
  // @ts-expect-error: no such status
  const badStatus: KlingTaskStatus = "done";
  // @ts-expect-error: klingToken needs the secret key
  void klingToken({ accessKey: "ak" });
  // @ts-expect-error: the list's page is a number
  void klingClient.list({ pageNum: "2" });
  void badDuration; void badV3; void badStatus;

  return [String(mem.buffer.byteLength), scenario, String(code), String(path), String(unverified.length), String(use), by,
    which, base, status, String(videos.length), describe(null), viaClass(null)];
}
