# participation.brussels — `make help` lists the commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# uv installs the locked packages (decision 24): the same files as pip, in half its time. The packages are
# compiled to bytecode as pip does (this machine's environment sets PYTHONDONTWRITEBYTECODE: without it, every process
# that starts Django would compile Wagtail and Django again).
UV_VERSION := 0.13.10
UV_INSTALL := $(VENV)/bin/uv pip install --quiet --python $(PY) --compile-bytecode
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/bin/uv: $(VENV)/bin/python
	$(PIP) install --quiet "uv==$(UV_VERSION)"

$(VENV)/.base-installed: $(VENV)/bin/uv requirements/base.txt
	$(UV_INSTALL) -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.txt
	$(UV_INSTALL) -r requirements/dev.txt
	@touch $@

node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 20 or newer) is needed for the map (Leaflet) and the test tools: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.base-installed node_modules/.installed ## Create the virtual environment, install the locked Python and npm packages
	$(VENV)/bin/pybabel -q compile --domain django --directory locale

chromium: ## Install Debian's headless Chromium for the browser tests (needs root), unless it is there
	@test -x /usr/bin/chromium-headless-shell || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; \
		else echo "Chromium is needed for the browser tests: sudo apt-get install chromium-headless-shell"; exit 1; fi; }

java: ## Install a Java runtime for the Nu Html Checker (needs root), unless there is one
	@command -v java >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
		else echo "Java is needed for the HTML validation test (Nu Html Checker): sudo apt-get install default-jre-headless"; exit 1; fi; }

redis: ## Start a Redis server on 127.0.0.1:6379 for the cache tests (Debian's redis-server, installed as root), unless one answers
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || { \
		command -v redis-server >/dev/null || { \
			if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
			else echo "Redis is needed for the cache tests: sudo apt-get install redis-server"; exit 1; fi; }; \
		redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
		for _ in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done; }

install-test: install $(VENV)/.dev-installed chromium java redis ## Install everything the test suite needs

run: install ## Set up SQLite with demo content and an admin account, then serve http://127.0.0.1:8000 and run the jobs
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_content
	$(PY) manage.py ensure_admin
	@# The background jobs' worker (emails…) runs beside the web server and stops with it.
	trap 'kill $$worker 2>/dev/null' EXIT; $(PY) manage.py db_worker --interval 1 & worker=$$!; \
		$(PY) manage.py runserver $(HOST):$(PORT)

# The tests write Python's bytecode even where the environment says not to (PYTHONDONTWRITEBYTECODE): every worker,
# test server and command the tests start then reuses the compiled modules and pytest's rewritten test modules (without
# them, each worker spent 7 of its 14 s of start-up rewriting 400 files).
test: install-test ## Install the test dependencies and run the whole test suite (browser tests included)
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest

test-quick: install-test ## The unit tests without the slow ones (no browser): a quick check while working
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest -m "not slow and not e2e" participation

lint: $(VENV)/.dev-installed ## ruff (lint and format check) and djlint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint participation --lint

typecheck: $(VENV)/.dev-installed ## mypy with django-stubs on the services and selectors (files listed in pyproject.toml)
	$(VENV)/bin/mypy

format: $(VENV)/.dev-installed ## Format Python and templates
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint participation --reformat

messages: install ## Update the FR, NL and EN catalogues from the code (needs GNU gettext)
	$(PY) scripts/translations.py update

check-translations: install ## Fail on catalogue drift, empty or fuzzy entries
	$(PY) scripts/translations.py check

check: install ## Django checks, missing migrations and translations
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) check-translations

lock: $(VENV)/.dev-installed ## Re-lock the dependencies after editing requirements/*.in
	cd requirements && for name in base dev; do \
		../$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links $$name.in -o $$name.txt; done

serve-production: install ## Serve with gunicorn and production settings (needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS)
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3 --no-control-socket --access-logfile -

.PHONY: help install chromium java redis install-test run test test-quick lint typecheck format messages check-translations check lock serve-production
