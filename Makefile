# SaleSpider: the two commands that matter are `make run` and `make test`.
# Everything installs itself (deploy/deps.sh) on a fresh Debian 12.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8080
# The embedded default keeps its PostgreSQL cluster, certificates and logs here.
DATA ?= data
# CI fuzzes longer than a developer's quick `make test`.
FUZZ_SECONDS ?= $(if $(CI),60,20)
export NODE_PATH := /usr/share/nodejs

BIN := build/native/server/salespider
DIST := build/wasm/dist

.PHONY: help deps build build-native build-wasm build-fuzz run status logs db-migrate db-status \
        test test-unit test-db test-http test-security test-browser test-wasm test-fuzz fuzz bench clean messages

help:
	@echo "make run    install what is missing, build, start the server on http://$(HOST):$(PORT)/"
	@echo "make test   install what is missing, build everything, run every test"
	@echo "make status | logs | db-migrate | db-status   operate a running store server (DATA=$(DATA))"
	@echo "make deps | build | test-unit | test-db | test-http | test-security | test-browser | test-wasm | test-fuzz | fuzz | bench | messages | clean"

deps:
	@bash deploy/deps.sh

build: deps
	@$(MAKE) --no-print-directory build-native build-wasm build-fuzz

build-native:
	cmake --preset native >/dev/null
	cmake --build --preset native

build-wasm:
	cmake --preset wasm >/dev/null
	cmake --build --preset wasm

build-fuzz:
	cmake --preset fuzz -DSALESPIDER_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	cmake --build --preset fuzz

# make run seeds a small demo into an empty embedded store: SALESPIDER_DEMO=0 make run to skip it.
run: deps
	@$(MAKE) --no-print-directory build-native build-wasm
	SALESPIDER_DEMO=$${SALESPIDER_DEMO:-1} $(BIN) serve --host $(HOST) --port $(PORT) --www $(DIST) --data-path $(DATA)

status: build-native
	@$(BIN) status --data-path $(DATA)
logs:
	tail -F $(DATA)/logs/salespider.log
db-migrate: build-native
	$(BIN) db migrate --data-path $(DATA)
db-status: build-native
	$(BIN) db status --data-path $(DATA)

# Re-extract every translatable string (xgettext) and merge it into shared/messages/<lang>.po.
messages: deps
	cmake --preset native >/dev/null
	cmake --build --preset native --target messages

# Every suite runs even when an earlier one fails; the summary line counts all.
test: build
	@bash tests/run-suites.sh native wasm fuzz

test-unit: deps build-native
	ctest --preset unit
test-db: deps build-native
	ctest --preset native -L db
test-http: deps build-native
	ctest --preset native -L http
test-security: deps build-native
	ctest --preset native -L security
test-browser: deps build-native build-wasm
	ctest --preset native -L browser
test-wasm: deps build-wasm
	ctest --preset wasm
test-fuzz: deps build-fuzz
	ctest --preset fuzz

# A longer fuzzing session than the smoke run in `make test`.
fuzz: deps
	@$(MAKE) --no-print-directory build-fuzz FUZZ_SECONDS=$(or $(SECONDS),300)
	ctest --preset fuzz -L fuzz

bench: deps
	cmake --preset bench >/dev/null
	cmake --build --preset bench
	bash bench/run.sh

clean:
	rm -rf build/native build/wasm build/fuzz build/bench
