// The package's few values made in JavaScript, re-exported by src/wasm/client.rs as they are.
//
// The class of every error KlingClient throws or rejects with, so that `e instanceof
// KlingError` works; src/wasm/client.rs makes them through `klingError` and sets their
// fields (`kind`, `status`, …); `cause` is the platform's own error where there is one (the
// TypeError of a failed fetch).
export class KlingError extends Error {
  constructor(message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "KlingError";
  }
}

export function klingError(message, cause) {
  return new KlingError(message, cause);
}

// The hosts of Kling's own API (`provider: "kling"`): the user chooses. The values are
// src/provider/kling.rs's SINGAPORE and BEIJING (tests/providers.rs checks they match).
export const KLING_API_SINGAPORE = "https://api-singapore.klingai.com";
export const KLING_API_BEIJING = "https://api-beijing.klingai.com";
