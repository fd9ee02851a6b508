# SaleSpider: the two commands that matter are `make run` and `make test`.
# Everything installs itself (deploy/deps.sh) on a fresh Debian 12.
# Operating a store: every operator target is a thin wrapper over a
# `salespider` subcommand (so the same works without make), and honours .env:
# DATA, ENV_FILE, HOST and PORT are passed ONLY when given on make's command
# line (`make status DATA=/srv/store`), so .env's DATA_PATH, HOST_IP and
# ports win over anything this file could default to.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# CI fuzzes longer than a developer's quick `make test`.
FUZZ_SECONDS ?= $(if $(CI),60,20)
export NODE_PATH := /usr/share/nodejs

BIN ?= build/native/server/salespider
DIST ?= build/wasm/dist
# Where `make bundle` writes the update bundle (and `make update` reads it).
OUT ?= salespider-update.tar.gz

given = $(filter command line,$(origin $(1)))
CONFIG_FLAGS = $(if $(call given,DATA),--data-path $(DATA)) $(if $(call given,ENV_FILE),--env-file $(ENV_FILE))
SERVE_FLAGS = $(if $(call given,HOST),--host $(HOST)) $(if $(call given,PORT),--port $(PORT))

.PHONY: help deps build build-native build-wasm build-fuzz run status logs db-migrate db-status \
        deploy start stop restart backup backup-info backup-check restore restore-pitr restore-set \
        bundle update vacuum certs db-shell \
        test test-unit test-db test-http test-security test-browser test-wasm test-fuzz fuzz bench clean messages \
        soak

help:
	@echo "Development:"
	@echo "  make run            build, then serve the till on https://127.0.0.1:8443/ (HOST= PORT= DATA= override .env)"
	@echo "  make test           build everything, run every test (one summary line at the end)"
	@echo "  make deps           install what is missing (Debian 12 packages, pinned sources)"
	@echo "  make build          build native, wasm and fuzz"
	@echo "  make build-native   build the server and the native tests"
	@echo "  make build-wasm     build the till (build/wasm/dist)"
	@echo "  make build-fuzz     build the fuzzers"
	@echo "  make test-unit      run the tests that need no database"
	@echo "  make test-db        run the database tests"
	@echo "  make test-http      run the HTTP tests"
	@echo "  make test-security  run the security tests"
	@echo "  make test-browser   run the browser tests"
	@echo "  make test-wasm      run the wasm tests under node"
	@echo "  make test-fuzz      run the fuzz smoke tests"
	@echo "  make fuzz           fuzz longer (SECONDS=300)"
	@echo "  make bench          build and run the benchmarks"
	@echo "  make soak           fault-injection soak: SCHEDULES=N runs (SEED= replays one), one line per schedule"
	@echo "  make messages       re-extract the translatable strings into shared/messages/"
	@echo "  make clean          remove the build trees"
	@echo "Operating a store (reads .env; DATA=dir ENV_FILE=file override it):"
	@echo "  make deploy         build, install as the active release, run as a service (systemd, else supervised); prints the URLs"
	@echo "  make start          start the deployed service, wait until it is healthy"
	@echo "  make stop           stop it (waits until it is gone)"
	@echo "  make restart        stop, then start"
	@echo "  make status         server, database, disk, certificate: exit 1 when something needs attention"
	@echo "  make logs           follow the server's log"
	@echo "  make backup         take a backup now (TYPE=full|diff|incr)"
	@echo "  make backup-info    list the backups in the repository"
	@echo "  make backup-check   check that WAL archiving to the repository works"
	@echo "  make restore        restore the latest backup (FORCE=1: even with unsynced till ops; YES=1: do not ask)"
	@echo "  make restore-pitr   restore to a point in time: TIME=\"YYYY-MM-DD HH:MM:SS\""
	@echo "  make restore-set    restore one backup set: SET=<label>"
	@echo "  make bundle         build an offline update bundle (OUT=$(OUT))"
	@echo "  make update         update from FILE=bundle, or (after git pull) build, bundle and update"
	@echo "  make vacuum         VACUUM (ANALYZE) the database (also runs daily)"
	@echo "  make certs          regenerate the server certificate from the existing CA (tills keep trusting it)"
	@echo "  make db-shell       psql on the store's database"
	@echo "  make db-migrate     apply the migrations by hand"
	@echo "  make db-status      list the migrations: applied, pending"

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

# The operator targets need the binary, not a fresh build of it.
$(BIN):
	@$(MAKE) --no-print-directory build-native

# make run seeds a small demo into an empty embedded store: SALESPIDER_DEMO=0 make run to skip it.
# Development: .env decides host, ports and DATA_PATH (8443/8080 unless it sets them).
run: deps
	@$(MAKE) --no-print-directory build-native build-wasm
	SALESPIDER_DEMO=$${SALESPIDER_DEMO:-1} $(BIN) serve --www $(DIST) $(SERVE_FLAGS) $(CONFIG_FLAGS)

deploy: deps
	@$(MAKE) --no-print-directory build-native build-wasm
	$(BIN) deploy --www $(DIST) $(CONFIG_FLAGS)
start: $(BIN)
	$(BIN) start $(CONFIG_FLAGS)
stop: $(BIN)
	$(BIN) stop $(CONFIG_FLAGS)
restart: $(BIN)
	$(BIN) restart $(CONFIG_FLAGS)
status: $(BIN)
	@$(BIN) status $(CONFIG_FLAGS)
logs: $(BIN)
	@$(BIN) logs -f $(CONFIG_FLAGS)
backup: $(BIN)
	$(BIN) backup $(if $(TYPE),--type $(TYPE)) $(CONFIG_FLAGS)
backup-info: $(BIN)
	$(BIN) backup info $(CONFIG_FLAGS)
backup-check: $(BIN)
	$(BIN) backup check $(CONFIG_FLAGS)
restore: $(BIN)
	$(BIN) restore $(if $(FORCE),--force) $(if $(YES),--yes) $(CONFIG_FLAGS)
restore-pitr: $(BIN)
	@if [ -z "$(TIME)" ]; then echo 'make restore-pitr needs TIME="YYYY-MM-DD HH:MM:SS"'; exit 2; fi
	$(BIN) restore --time "$(TIME)" $(if $(FORCE),--force) $(if $(YES),--yes) $(CONFIG_FLAGS)
restore-set: $(BIN)
	@if [ -z "$(SET)" ]; then echo 'make restore-set needs SET=<backup label> (see make backup-info)'; exit 2; fi
	$(BIN) restore --set "$(SET)" $(if $(FORCE),--force) $(if $(YES),--yes) $(CONFIG_FLAGS)
bundle: deps
	@$(MAKE) --no-print-directory build-native build-wasm
	$(BIN) bundle --www $(DIST) --out $(OUT)
# `git pull && make update` where there is internet; FILE=bundle from a USB stick where there is not.
update:
ifdef FILE
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) update --from $(FILE) $(CONFIG_FLAGS)
else
	@$(MAKE) --no-print-directory bundle
	$(BIN) update --from $(OUT) $(CONFIG_FLAGS)
endif
vacuum: $(BIN)
	$(BIN) vacuum $(CONFIG_FLAGS)
certs: $(BIN)
	$(BIN) cert renew $(CONFIG_FLAGS)
db-shell: $(BIN)
	@$(BIN) db shell $(CONFIG_FLAGS)
db-migrate: $(BIN)
	$(BIN) db migrate $(CONFIG_FLAGS)
db-status: $(BIN)
	$(BIN) db status $(CONFIG_FLAGS)

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

# The fault-injection soak (tests/fault/): one line per schedule, a summary,
# exit 1 when a sale was lost, doubled or wrongly flagged.
SCHEDULES ?= 20
soak: deps build-native build-wasm
	SALESPIDER_BIN=$(BIN) SALESPIDER_WWW=$(DIST) node tests/fault/soak.mjs SCHEDULES=$(SCHEDULES) \
	  $(if $(SEED),SEED=$(SEED)) $(if $(SOAK_LOG),LOG=$(SOAK_LOG))

clean:
	rm -rf build/native build/wasm build/fuzz build/bench
