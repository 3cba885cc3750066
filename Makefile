# Quartieri: two commands do all the set-up on a fresh Debian machine.
#   make run   – gettext, environment, SQLite database, demo data and users, server on :8000
#   make test  – Chromium, poppler-utils, gettext, environment, every test (set
#                DATABASE_URL to run them on PostgreSQL); prints the slowest 10
# Missing Debian packages are installed with apt-get as root (.ci/system-deps.sh);
# anyone else is shown the apt-get command to run.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every package of the environment, pinned with hashes: `make lock` writes it.
LOCK := requirements.lock
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.6.2
# System tools the tests drive (Chromium, poppler's PDF tools, gettext's msgfmt).
TEST_TOOLS := chromium pdftotext pdffonts pdftoppm msgfmt
HOST ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: lint-imports run test venv lock system-deps gettext migrate demo messages lint check-deploy clean serve worker backup restore scale-data bench loadtest assets lighthouse

# The locked packages (hashes checked) with --no-deps: the lock is the whole environment,
# so pip resolves nothing (pip 23.2, the one python3 -m venv brings, otherwise picks the
# newest fonttools for weasyprint's fonttools[woff] and refuses it as unpinned). Then the
# project itself without resolving anything (its build backend, setuptools, comes from the
# lock too), and pip check proves the whole set consistent.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	$(VENV)/bin/pip check
	touch $(STAMP)

venv: $(STAMP)

# Refresh the lock after changing pyproject.toml's dependencies (the dev extra included):
# pins already in the lock are kept; `make lock LOCK_ARGS=--upgrade` moves every package
# to its newest allowed release. Commit requirements.lock with pyproject.toml.
lock:
	[ -x $(LOCK_VENV)/bin/pip-compile ] || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS); }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes \
	  --allow-unsafe --all-build-deps --strip-extras --extra dev --no-emit-index-url \
	  --no-emit-find-links $(LOCK_ARGS) --output-file $(LOCK) pyproject.toml

system-deps:
	@sh .ci/system-deps.sh $(TEST_TOOLS)

gettext:
	@sh .ci/system-deps.sh msgfmt

messages: gettext $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo

run: gettext demo messages
	@echo "Quartieri: http://$(HOST)/"
	$(PY) manage.py runserver $(HOST)

test: system-deps $(STAMP) messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n 2 --dist loadfile -q --durations=10 $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# The apps import one way: reporting -> beneficiaries -> labs -> partners (pyproject.toml).
lint-imports: $(STAMP)
	$(VENV)/bin/lint-imports

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	ALLOWED_HOSTS=quartieri.example.it DATABASE_URL=$${DATABASE_URL:-postgres://quartieri@127.0.0.1:5432/quartieri} \
	$(PY) manage.py check --deploy --fail-level WARNING

# Production server (environment as in docs/operations.md): static files, migrations, gunicorn.
serve: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

# Background worker for reports and imports (django-tasks database queue), next to serve.
worker: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py db_worker

# make backup ARCHIVE=/var/backups/quartieri.tar.gz ; make restore ARCHIVE=...
backup: $(STAMP)
	$(PY) manage.py backup_data $(ARCHIVE)
restore: $(STAMP)
	$(PY) manage.py restore_data $(ARCHIVE) --yes

# Benchmarks (docs/performance.md): a dedicated PostgreSQL database, never the real one.
SCALE_DB ?= postgres://postgres@127.0.0.1:5432/quartieri_scale
PROJECTS ?= 100
scale-data: $(STAMP)
	DATABASE_URL=$(SCALE_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(SCALE_DB) $(PY) manage.py generate_scale_data --projects $(PROJECTS)
bench: $(STAMP)
	DATABASE_URL=$(SCALE_DB) $(PY) bench/pages.py --write-docs
loadtest: $(STAMP)
	DATABASE_URL=$(SCALE_DB) bench/loadtest.sh

# Front-end files (docs/frontend.md): static/js/bootstrap-italia.min.js (only the Bootstrap
# Italia modules used) and static/css/portal.min.css (Bootstrap Italia purged of unused rules
# + static/css/*.css). Rebuild and commit both after changing static/css/*.css, a template's
# classes or bench/assets/bootstrap-italia.entry.js. Needs Node and npm (development only).
assets: $(STAMP)
	npm ci --prefix bench --no-audit --no-fund --loglevel=error
	node bench/assets/build.mjs

# Lighthouse, mobile preset, on the main pages as lead and partner, against gunicorn with the
# production settings (DATABASE_URL: a PostgreSQL database with the demo; docs/frontend.md).
lighthouse: $(STAMP)
	npm ci --prefix bench --no-audit --no-fund --loglevel=error
	$(PY) bench/lighthouse.py --serve

clean:
	rm -rf $(VENV) $(LOCK_VENV) db.sqlite3 staticfiles
