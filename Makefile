# kling-omni: `make demo` serves the demo, `make test` runs every test. Both install what
# they need first (scripts/setup.sh) and skip what is present.

SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# This machine is slow: the runner's defaults (5 s for the driver, 20 s a suite) are too short.
export WASM_BINDGEN_TEST_TIMEOUT ?= 300
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT ?= 60
CHROMEDRIVER ?= $(shell command -v chromedriver 2>/dev/null || echo /usr/bin/chromedriver)
GECKODRIVER ?= $(shell command -v geckodriver 2>/dev/null || echo $(HOME)/.cargo/bin/geckodriver)
WEBKITWEBDRIVER ?= $(shell command -v WebKitWebDriver 2>/dev/null || echo /usr/bin/WebKitWebDriver)
# WebKitGTK's MiniBrowser has no headless mode: it runs on a virtual display.
XVFB := xvfb-run -a -s "-screen 0 1280x1024x24"
WASM_PACK := wasm-pack --log-level warn
# Sources whose change makes the packages stale.
SRC := Cargo.toml Cargo.lock $(shell find src -name '*.rs')

.PHONY: screenshots package test-package test-docs demo test setup setup-test test-lint test-native fixtures test-release test-browser test-node test-e2e bench size clean
.PHONY: test-browser-chrome test-browser-firefox test-browser-webkit test-e2e-chrome test-e2e-firefox test-e2e-webkit

# The page on :8080 and the fake gateway (key "test-key") on :8081: the whole flow offline.
demo: setup pkg/kling_omni.js
	node scripts/serve.mjs --port 8080 --gateway-port 8081

test: setup-test test-lint fixtures test-native test-docs test-release test-browser test-node test-e2e test-package
	@echo "make test: all passed"

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

# The house rules: one format (rustfmt.toml) and no clippy warning, natively and for the
# wasm32 layer. Run first: a style slip fails in a minute, not after the browsers.
test-lint:
	cargo fmt --check
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings

fixtures:
	@if [ -x tests/fixtures/make.sh ]; then tests/fixtures/make.sh; fi

test-native:
	cargo test --quiet

# The optimised release builds, for the page (web) and for Node; rebuilt only when sources change.
pkg/kling_omni.js: $(SRC)
	$(WASM_PACK) build --target web --release --out-dir pkg
	@touch $@

# The validator alone (no media readers, no client): `kling-omni/validator` in the package.
pkg-validator/kling_omni.js: $(SRC)
	$(WASM_PACK) build --target web --release --out-dir pkg-validator --no-default-features
	@touch $@

# The npm package: both web builds, the Node entry, README, CHANGELOG, docs/; packed with `npm pack`.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
PACKAGE := target/npm/kling-omni-$(VERSION).tgz
package: $(PACKAGE)
$(PACKAGE): pkg/kling_omni.js pkg-validator/kling_omni.js npm/node.js scripts/package.mjs README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE docs/rules.md $(wildcard docs/sources/*)
	node scripts/package.mjs pkg pkg-validator target/npm

# The packed package installed into throwaway Vite, Node, plain-page/Worker and TypeScript
# projects (tests/consumers/); also checks the README's examples are those files.
test-package: $(PACKAGE)
	node tests/consumers/run.mjs $(PACKAGE)

# The API docs build with no warning (missing docs are errors: #![deny(missing_docs)]),
# natively and for the wasm32 layer.
test-docs:
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet --target wasm32-unknown-unknown

# Loads the optimised builds and runs them: catches a broken wasm-opt.
test-release: $(PACKAGE)
	node tests/release-smoke.mjs
	node tests/example-submit.mjs

# The wasm-bindgen suites (page and Worker) in each engine users have.
test-browser: test-browser-chrome test-browser-firefox test-browser-webkit

test-browser-chrome:
	node tests/with-servers.mjs -- $(WASM_PACK) test --headless --chrome --chromedriver $(CHROMEDRIVER)

# tests/firefox-webdriver.json sets Firefox's `network.http.request.max-attempts` to 1. By
# default Firefox itself sends a GET again, up to 10 times, when its connection drops before
# an answer, so the gateway would see up to 10 queries per client attempt (30 where the
# retry test expects 3). The client's attempts are counted in the page too, so that test no
# longer depends on it (tests/client_suite); with it, the gateway's counts equal them, and
# the Firefox run shows no request was resent by the engine. Firefox never resends a POST
# on a fresh connection; on a reused one it would without this pref (README, Supported
# environments). tests/e2e/webdriver.mjs starts Firefox with the same file.
test-browser-firefox:
	WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/tests/firefox-webdriver.json \
	  node tests/with-servers.mjs -- $(WASM_PACK) test --headless --firefox --geckodriver $(GECKODRIVER)

# The runner calls it Safari; WebKitWebDriver starts WebKitGTK's MiniBrowser.
# WebKitGTK's WebProcess can crash inside Skia (an engine fault): such a run is repeated once
# (scripts/once-more-on-engine-crash.sh says why); test failures are never retried.
test-browser-webkit:
	scripts/once-more-on-engine-crash.sh $(XVFB) node tests/with-servers.mjs -- $(WASM_PACK) test --headless --safari --safaridriver $(WEBKITWEBDRIVER)

test-node:
	node tests/with-servers.mjs -- $(WASM_PACK) test --node

# The demo page: in Debian's Chromium through playwright-core (every flow), and its main
# flows in Firefox and WebKitGTK through WebDriver (tests/e2e/webdriver.mjs, no dependency);
# screenshots in test-output/.
test-e2e: test-e2e-chrome test-e2e-firefox test-e2e-webkit

test-e2e-chrome: pkg/kling_omni.js
	node tests/e2e/demo.spec.mjs

# The README's two screenshots (www/screenshot.png, www/screenshot-zh.png), taken by the e2e suite.
screenshots: pkg/kling_omni.js
	UPDATE_SCREENSHOTS=1 node tests/e2e/demo.spec.mjs

test-e2e-firefox: pkg/kling_omni.js
	GECKODRIVER=$(GECKODRIVER) node tests/e2e/webdriver.spec.mjs firefox

test-e2e-webkit: pkg/kling_omni.js
	WEBKITWEBDRIVER=$(WEBKITWEBDRIVER) $(XVFB) node tests/e2e/webdriver.spec.mjs webkit

# Sizes, validation speed, media measurement and start-up against zod 4, valibot and the
# browser's own decoders (issue 7), in headless Chromium and natively: writes BENCHMARKS.md.
# Not part of `make test`. The benches' npm packages go into benches/node_modules.
# `make bench BENCH_FLAGS="--save-baseline benches/baseline.json"` keeps this run's figures as
# the "before" column of later runs.
bench: setup-test fixtures pkg/kling_omni.js pkg-validator/kling_omni.js benches/node_modules/.package-lock.json
	@mkdir -p target
	nice cargo bench --quiet --bench validate > target/bench-native.json
	node benches/run.mjs --full pkg --validator pkg-validator --native target/bench-native.json --out BENCHMARKS.md $(BENCH_FLAGS)

benches/node_modules/.package-lock.json: benches/package.json benches/package-lock.json
	cd benches && npm ci --no-audit --no-fund --loglevel=error

size: pkg/kling_omni.js
	@ls -l pkg/kling_omni_bg.wasm | awk '{print "wasm bytes:", $$5}'
	@gzip -9c pkg/kling_omni_bg.wasm | wc -c | awk '{print "wasm gzip bytes:", $$1}'

clean:
	rm -rf pkg pkg-validator target

# Fuzzing (cargo-fuzz on nightly; fuzz/ is its own workspace): each target for FUZZ_SECONDS,
# from the committed seeds (fuzz/seeds/) and what earlier runs found (fuzz/corpus/, not in
# git). No sanitizer: the crate has no `unsafe`, and ASan made the validator 6× slower.
# Debug assertions on, so an integer overflow is a crash too. A crash stops the run with
# its input in fuzz/artifacts/<target>/. fuzz/dicts/<target>.dict, where there is one, gives
# libFuzzer the wire names and values to splice in.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := validate image_header bmff base64 reader
.PHONY: fuzz
fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p corpus/$$t && \
	  cargo +nightly fuzz run --debug-assertions --sanitizer none $$t corpus/$$t seeds/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	    $$(test -f dicts/$$t.dict && echo -dict=dicts/$$t.dict) || exit 1; \
	done
