# Alrim — two commands: `make run` (set up everything and serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
APT_STAMP := var/.apt-installed
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint format setup deps npm-deps browser test-storage bench clean help

help:
	@echo "make run    — set up (venv, Python + npm deps, database, bundled catalog) and serve on http://127.0.0.1:8000"
	@echo "make test   — lint (ruff, mypy) and the whole test suite"
	@echo "make bench  — run every benchmark under benchmarks/"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

deps: $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

npm-deps: $(NPM_STAMP)

# Debian packages for the browser tests: headless Chromium and Hangul fonts.
$(APT_STAMP):
	@mkdir -p var
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi nanum; then \
		echo "installing chromium and fonts-nanum (apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum >/dev/null; \
	fi
	touch $(APT_STAMP)

browser: $(APT_STAMP)

setup: deps npm-deps
	$(BIN)/alrim setup

run: setup
	$(BIN)/alrim serve

lint: deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: deps
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: deps npm-deps browser lint
	$(BIN)/pytest -q -p no:cacheprovider

# The storage/integration tests again, against the database in ALRIM_DATABASE_URL.
test-storage: deps
	$(BIN)/pytest -q -p no:cacheprovider -m storage

bench: deps
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf var/alrim.db* .mypy_cache .ruff_cache .pytest_cache
