# The two quick-start commands: `make demo` and `make test`.
# Both install the four Debian -dev packages the C targets link against when they are missing.

SWIFT ?= swift
DEBIAN_PACKAGES := libxml2-dev libzip-dev libcurl4-openssl-dev libsqlite3-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test demo bench

deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build --product groupsms

test: deps
	$(SWIFT) test --disable-xctest

demo: build
	$$($(SWIFT) build --show-bin-path)/groupsms check Samples/recipients.xlsx

bench: deps
	$(SWIFT) build -c release
	$$($(SWIFT) build -c release --show-bin-path)/groupsms-bench all
