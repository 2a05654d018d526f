# Children's Care Learning and Development — the two commands: `make run` and `make test`.
PORT ?= 5000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app lnd
ASSETS := static/build/app.css static/build/govuk-frontend.min.js static/build/assets/manifest.json

.PHONY: run test test-sqlite test-postgres bench install install-test assets system-test-packages migrate seed clean

run: install assets migrate
	@$(FLASK) seed --demo
	@echo ""
	@echo "Serving Children's Care Learning and Development on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	@$(VENV)/bin/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --timeout 120 --no-control-socket --access-logfile - 'lnd:create_app()'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed static/app.scss
	mkdir -p static/build
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps static/app.scss $@

static/build/govuk-frontend.min.js: node_modules/.installed
	mkdir -p static/build
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

static/build/assets/manifest.json: node_modules/.installed
	rm -rf static/build/assets
	mkdir -p static/build
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/build/assets
	touch $@

assets: $(ASSETS)

migrate: install
	@mkdir -p instance
	@$(FLASK) db upgrade

seed: migrate
	@$(FLASK) seed --demo

system-test-packages:
	@scripts/ensure-test-packages.sh

test: install-test assets system-test-packages
	@echo "== Test suite on SQLite =="
	$(PY) -m pytest -q -p no:cacheprovider
	@echo "== Test suite on PostgreSQL =="
	scripts/with-postgres.sh $(PY) -m pytest -q -p no:cacheprovider

test-sqlite: install-test assets
	$(PY) -m pytest -q

test-postgres: install-test assets system-test-packages
	scripts/with-postgres.sh $(PY) -m pytest -q

bench: install-test assets
	@if [ -d tests/bench ]; then $(PY) -m pytest -q tests/bench -p no:cacheprovider -o addopts="" --override-ini="testpaths=tests/bench"; fi
	$(PY) benchmarks/matrix_export.py --people $(or $(BENCH_PEOPLE),10000)
	$(PY) benchmarks/compliance_pages.py --people $(or $(BENCH_COMPLIANCE_PEOPLE),5000)

clean:
	rm -rf $(VENV) node_modules static/build
