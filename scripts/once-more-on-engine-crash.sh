#!/usr/bin/env bash
# Runs a browser suite; if it fails because the engine's own content process crashed (not a
# test's verdict), runs it once more and reports that it did.
#
# Why: WebKitGTK 2.50's WebProcess sometimes aborts inside Skia while a Worker draws on an
# OffscreenCanvas (seen once in three `make test` runs of tests/worker_prepare.rs:
# `SkRuntimeEffectPriv.h:204: fatal error: "error: 1: integer is too large: 255"`, then
# "WebProcess CRASHED"). A crash is retried once; any other failure, or a second crash, fails.
#
#   scripts/once-more-on-engine-crash.sh <command> [args...]
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ] && grep -q "WebProcess CRASHED" "$log"; then
  echo "once-more-on-engine-crash: the engine's WebProcess crashed (not a test verdict); running the suites once more" >&2
  "$@"
  status=$?
fi
exit "$status"
