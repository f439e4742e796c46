/** The international host of Kling's own API (`provider: "kling"`): pass it as `baseUrl`. */
export const KLING_API_SINGAPORE: "https://api-singapore.klingai.com";
/** The mainland China host of Kling's own API (`provider: "kling"`): pass it as `baseUrl`. */
export const KLING_API_BEIJING: "https://api-beijing.klingai.com";

/** Options of `new KlingClient(options)`. */
export interface KlingClientOptions {
  provider: Provider;
  /** Default: `https://models.hingnet.com.cn` (O1), `https://api.modelverse.cn` (V3); required for `kling` (`KLING_API_SINGAPORE`, `KLING_API_BEIJING`, or your proxy). Use your own proxy's URL to keep the key off the page. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <key>` (O1; `kling`: a token minted elsewhere, see `klingToken`) or `Authorization: <key>` (V3; see `authScheme`). Omit it behind a proxy that adds it: no `Authorization` header is sent. */
  apiKey?: string;
  /** `kling` only, with `secretKey`: the client mints its own tokens (HS256 JWTs, `iss` = this key), a new one when the one in use has less than a minute (or a tenth of its lifetime) left. */
  accessKey?: string;
  /** `kling` only, with `accessKey`: signs the tokens (Web Crypto). Never sent, and never in an error. In a page (where `document` exists) it throws a `KlingArgumentError`: every visitor could read it. Mint tokens on a server instead. */
  secretKey?: string;
  /** The lifetime of each minted token, in whole seconds from 60 to 86400. Default 1800 (Kling's examples). */
  tokenTtlSeconds?: number;
  /** Lets `secretKey` be used in a page: only where the person at the page typed their own keys. Default false. */
  dangerouslyAllowBrowser?: boolean;
  /** V3: `"bearer"` sends `Authorization: Bearer <key>`; the default, `"bare"`, sends the key alone (the gateway's documented example). O1 takes only `"bearer"`. */
  authScheme?: "bearer" | "bare";
  /** Extra headers on every request (a proxy's own token, …). */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. Default 60000. */
  timeoutMs?: number;
  /** Polling in `wait`: first interval (default 2000), longest interval (default 10000; it grows ×1.5), overall timeout (default 900000). */
  poll?: { intervalMs?: number; maxIntervalMs?: number; timeoutMs?: number };
  /** Retries of queries, and of creates the API refused (429, 1302, 1303, 006001094). Default 2 retries, 1000 ms base, 30000 ms longest. */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Set a random `external_task_id` when the request has none (or `""`): O1 looks a lost create answer up by it; for V3 (no such look-up) an `ambiguous` error names it. Default true. */
  autoExternalId?: boolean;
  /** Language of error messages. Default "en". */
  locale?: "en" | "zh";
}

/** A task's status, the same for both providers. */
export type KlingTaskStatus = "queued" | "running" | "succeeded" | "failed";

/** One generated video. Its URL expires (30 days). `watermarkUrl`: the watermarked copy, where the request asked for one (`watermark_info`). */
export interface KlingVideo { url: string; id?: string; duration?: number; watermarkUrl?: string }

/** A task, the same shape for both providers. Times are ms since the epoch. */
export interface KlingTask {
  taskId: string;
  status: KlingTaskStatus;
  /** The provider's own state: `submitted`/`processing`/`succeed`/`failed` (O1), `Pending`/`Running`/`Success`/`Failure` (V3). */
  providerStatus: string;
  videos: KlingVideo[];
  failure?: { code?: string; message: string };
  createdAt?: number;
  updatedAt?: number;
  externalTaskId?: string;
  requestId?: string;
  /** The units billed for the task, as Kling sent them (`final_unit_deduction`, a string such as `"5"`), where sent. */
  units?: string;
  /** The answer as sent (a task of `list`: its own object; `parseCallback`: the body). */
  raw: unknown;
}

/** What `submit` resolves with. */
export interface KlingSubmitResult {
  taskId: string;
  /** The `external_task_id` the create carried (set by the client unless the request had one or `autoExternalId: false`). */
  externalTaskId?: string;
  status: KlingTaskStatus;
  requestId?: string;
  raw: unknown;
}

/** Options of `submit`. */
export interface KlingSubmitOptions {
  signal?: AbortSignal;
  /** Validate first and reject with the report, sending nothing, when invalid. Default true. */
  validate?: boolean;
  /** Facts measured about the request's media (see `inspect`), for the media rules. */
  media?: MediaFacts;
}

/** Options of `wait`. */
export interface KlingWaitOptions {
  signal?: AbortSignal;
  /** Called with the task after every poll. Errors it throws are ignored. */
  onProgress?: (task: KlingTask) => void;
  /** Overall timeout in ms; default `poll.timeoutMs`. */
  timeoutMs?: number;
}

/** Options of `generate`: submit's and wait's. */
export interface KlingGenerateOptions extends KlingSubmitOptions, KlingWaitOptions {}

/** Options of `list`: which page (`pageNum` 1–1000, default 1) of how many tasks (`pageSize` 1–500, default 30). */
export interface KlingListOptions { pageNum?: number; pageSize?: number; signal?: AbortSignal }

/** Options of `klingToken`. */
export interface KlingTokenOptions {
  accessKey: string;
  secretKey: string;
  /** Whole seconds from 60 to 86400. Default 1800. */
  ttlSeconds?: number;
  /** In a page (where `document` exists) `klingToken` throws unless this is true: every visitor could read the secret key. */
  dangerouslyAllowBrowser?: boolean;
}

/** The JWT Kling's own API takes (`Authorization: Bearer <token>`): HS256, `iss` = the access key, `exp` = now + `ttlSeconds`, `nbf` = now − 5 s, signed with the secret key by Web Crypto (Node 20+, Workers, Deno). Mint it on your server and pass it as `apiKey`. Rejects with a `KlingArgumentError` for bad options. */
export function klingToken(options: KlingTokenOptions): Promise<string>;

/** The task a callback POST from Kling describes (the body to `callback_url`: an object, or its JSON text). Throws a `KlingInvalidResponseError` for a body that is not one. Confirm with `client.get(task.taskId)` before acting, as Kling advises. */
export function parseCallback(body: string | object): KlingTask;

/** What every client error carries. `kind` narrows the union. */
interface KlingErrorBase extends Error {
  name: "KlingError";
  /** Worth trying the same call again later. */
  retryable: boolean;
  /** A create whose answer was lost: the task may exist. It was not sent again. */
  ambiguous: boolean;
  status?: number;
  /** The provider's code as text: "1302", "006001094". */
  code?: string;
  /** What the code is about. */
  category?: "authentication" | "account" | "request" | "policy" | "rate_limit" | "server" | "resources" | "task_response" | "task_creation";
  /** The provider's own message. */
  providerMessage?: string;
  requestId?: string;
  taskId?: string;
  externalTaskId?: string;
  detail?: string;
  /** The platform's own error, where there is one (the `TypeError` of a failed `fetch`). */
  cause?: unknown;
}
/** The request is invalid: nothing was sent. `report` says why. */
export interface KlingValidationError extends KlingErrorBase { kind: "validation"; report: Report }
/** `fetch` failed: refused, dropped, DNS or CORS. A lost create is `ambiguous`. */
export interface KlingNetworkError extends KlingErrorBase { kind: "network" }
/** A request took longer than `timeoutMs`, or the whole wait did. */
export interface KlingTimeoutError extends KlingErrorBase { kind: "timeout"; timeoutMs: number }
/** Your `AbortSignal` fired. */
export interface KlingAbortedError extends KlingErrorBase { kind: "aborted" }
/** A non-2xx status with no API error in the body (a proxy's 502, …). */
export interface KlingHttpStatusError extends KlingErrorBase { kind: "http_status"; status: number }
/** The API answered with an error code: see `code`, `category` and `providerMessage`. */
export interface KlingApiError extends KlingErrorBase { kind: "api"; code: string; status: number }
/** The task ended in failure; `task.failure` has the provider's reason. */
export interface KlingTaskFailedError extends KlingErrorBase { kind: "task_failed"; taskId: string; task: KlingTask }
/** A 2xx answer (or a callback body, then with no `status`) that is not the documented shape; `detail` says what was wrong. */
export interface KlingInvalidResponseError extends KlingErrorBase { kind: "invalid_response"; status?: number }
/** Bad options or arguments (not an invalid request: that is `validation`). */
export interface KlingArgumentError extends KlingErrorBase { kind: "argument" }
/** Every error the client throws or rejects with. */
export type KlingError =
  | KlingValidationError | KlingNetworkError | KlingTimeoutError | KlingAbortedError | KlingHttpStatusError
  | KlingApiError | KlingTaskFailedError | KlingInvalidResponseError | KlingArgumentError;
/** The class of every client error: `e instanceof KlingError` narrows to the `KlingError` union (then narrow on `kind`). The client makes them, and `prepareImage` (see `KlingPrepareError`). */
export const KlingError: (abstract new () => KlingError) & { readonly prototype: KlingError };

/** A client for one provider. Works in a page, a Web Worker and Node 20+. */
export class KlingClient {
  free(): void;
  /** Throws a `KlingArgumentError` for bad options. */
  constructor(options: KlingClientOptions);
  readonly provider: Provider;
  readonly baseUrl: string;
  /** Validates, then creates the task. A lost answer is never resent: see `ambiguous`. Rejects with a `KlingError`. */
  submit(request: RequestInput, options?: KlingSubmitOptions): Promise<KlingSubmitResult>;
  /** Queries one task (retried on network errors, 429, 5xx, 1302, 1303, 5000–5002). */
  get(taskId: string, options?: { signal?: AbortSignal }): Promise<KlingTask>;
  /** O1 and `kling`: queries a task by its `external_task_id`. */
  getByExternalId(externalTaskId: string, options?: { signal?: AbortSignal }): Promise<KlingTask>;
  /** `kling` only: one page of your tasks (retried as `get`). */
  list(options?: KlingListOptions): Promise<KlingTask[]>;
  /** Polls until the task ends: resolves with the succeeded task, rejects with `task_failed` (with the provider's reason), `timeout` or `aborted`. */
  wait(taskId: string, options?: KlingWaitOptions): Promise<KlingTask>;
  /** `submit` then `wait`. */
  generate(request: RequestInput, options?: KlingGenerateOptions): Promise<KlingTask>;
}

/** True for errors from `KlingClient` (also across copies of the package, where `instanceof` is not). */
export function isKlingError(e: unknown): e is KlingError;
