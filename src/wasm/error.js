// The class of every error KlingClient throws or rejects with, so that `e instanceof
// KlingError` works; the package re-exports it. src/wasm/client.rs makes them through
// `klingError` and sets their fields (`kind`, `status`, …); `cause` is the platform's own
// error where there is one (the TypeError of a failed fetch).
export class KlingError extends Error {
  constructor(message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "KlingError";
  }
}

export function klingError(message, cause) {
  return new KlingError(message, cause);
}
