# The two quick-start commands: `make demo` and `make test`.
# Both install the four Debian -dev packages the C targets link against when they are missing;
# `make test` also installs the PostgreSQL server its PostgreSQL tests start a throwaway copy of.

SWIFT ?= swift
DEBIAN_PACKAGES := libxml2-dev libzip-dev libcurl4-openssl-dev libsqlite3-dev
# The PostgreSQL tests start a throwaway server of their own (initdb + pg_ctl), so `make test` needs it.
TEST_PACKAGES := postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps install-missing build test check-layers demo bench

deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEBIAN_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(TEST_PACKAGES)"

install-missing:
	@missing=""; \
	for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build --product groupsms

# Each library target imports only the ones below it (Package.swift's `layers`).
check-layers:
	@bash .ci/check-layers

# Two passes: the PostgreSQL suites and the several-daemons tests (throwaway servers, daemon
# processes, simulators) run after the rest, not beside it, so neither half's timing tests are
# starved on a 2-core machine.
SHARED_STORE_TESTS := GroupSMSPostgresTests|SeveralDaemonsTests
test: test-deps check-layers
	$(SWIFT) test --disable-xctest --skip '$(SHARED_STORE_TESTS)'
	$(SWIFT) test --disable-xctest --filter '$(SHARED_STORE_TESTS)'

# The sample job on the embedded simulated platform: check the file, send it, wait for the
# status reports and export the failed numbers. A fresh data dir each time, so the per-number
# frequency limits of an earlier demo run do not defer this one. `--send-window any`: the demo
# sends its Chinese mainland sample numbers at once whatever the hour in Beijing (a real
# campaign keeps the default window, 08:00-22:00 Beijing time, and waits for it).
DEMO_DIR := .build/demo
DEMO_TEMPLATE := 8ff55eac1d0b478ab3c06c3c6a492300
# $$ keeps make from reading the template's variables as its own.
DEMO_TEMPLATE_TEXT := Scheduled maintenance on $${TXT_20}, $${TXT_11}: the service may be briefly unavailable.
demo: build
	@rm -rf $(DEMO_DIR)
	$$($(SWIFT) build --show-bin-path)/groupsms check Samples/recipients.xlsx
	@echo
	$$($(SWIFT) build --show-bin-path)/groupsms template add $(DEMO_TEMPLATE) --signature Acme \
		--text '$(DEMO_TEMPLATE_TEXT)' --name "Maintenance notice" --data-dir $(DEMO_DIR)
	@echo
	$$($(SWIFT) build --show-bin-path)/groupsms send Samples/recipients.xlsx --simulate \
		--template $(DEMO_TEMPLATE) --from 8824110605 \
		--param "Sunday 6 December" --param "02:00-04:00" --prices Samples/prices.csv --send-window any \
		--data-dir $(DEMO_DIR) --export-failed $(DEMO_DIR)

bench: deps
	$(SWIFT) build -c release
	@bin=$$($(SWIFT) build -c release --show-bin-path); \
	for b in xlsx check send send-shared personal windows; do $$bin/groupsms-bench $$b || exit 1; done
