# Borgerblik: `make run` serves the app with demo data, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The Nu Html Checker for tests/test_valid_html.py: vnu.jar from npm's vnu-jar, run with Java.
VNU_VERSION := 26.9.27
VNU_DIR := $(VENV)/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar
VNU_STAMP := $(VNU_DIR)/.installed-$(VNU_VERSION)

.PHONY: run test bench install browser-deps vnu check-deploy clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "gettext is missing, so the English translation is not compiled (apt-get install gettext)."; fi
	$(PY) manage.py loaddemo
	@echo "Borgerblik: http://$(HOST):$(PORT)/  (log in as facilitator / demo or leder / demo)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
browser-deps:
	@if [ -x /usr/bin/chromium ] && command -v pdftoppm >/dev/null && command -v msgfmt >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages: chromium, poppler-utils, gettext, fonts-dejavu-core"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium poppler-utils gettext fonts-dejavu-core >/dev/null; \
	else \
		echo "Missing system packages. Install them with:"; \
		echo "  sudo apt-get install chromium poppler-utils gettext fonts-dejavu-core"; exit 1; \
	fi

# Java (Debian's headless JRE) and npm when missing, then vnu.jar at a pinned version into .venv/vnu.
$(VNU_STAMP): | $(STAMP)
	@missing="$$(command -v java >/dev/null || echo default-jre-headless) $$(command -v npm >/dev/null || echo npm)"; \
	if [ -z "$${missing// }" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "The HTML checker needs Java and npm. Install them with:"; \
		echo "  sudo apt-get install $$missing"; exit 1; \
	fi
	npm install --prefix $(VNU_DIR) --no-save --no-audit --no-fund --loglevel=error vnu-jar@$(VNU_VERSION)
	test -f $(VNU_JAR)
	rm -f $(VNU_DIR)/.installed-*
	touch $(VNU_STAMP)

vnu: $(VNU_STAMP)

test: $(STAMP) browser-deps vnu
	$(VENV)/bin/ruff check .
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	VNU_JAR=$(abspath $(VNU_JAR)) DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -q
	$(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(PY) bench/run.py

check-deploy: $(STAMP)
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))")" DJANGO_ALLOWED_HOSTS=borgerblik.example.dk \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
