# The dev loop. `make run` and `make test` work on a fresh checkout: they create .venv,
# install the pinned requirements, then start the dashboard / run every test.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install browser run test test-fast stress lint format sample clean

$(STAMP): requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install  ## the dashboard on the bundled sample (built on first start)
	$(VENV)/bin/streamlit run dashboard.py

# The browser test drives Debian's Chromium (Playwright's own browser download does not work
# offline). As root, install it if missing; otherwise say how, and that test is skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; \
	  else echo "Chromium is missing: 'sudo apt-get install chromium' to run the browser test."; fi; }

test: install lint browser  ## every test, slow ones included
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not slow and not stress"

stress: install  ## many SIGKILLs of the ingest process (minutes; not part of `make test`)
	$(PY) -m pytest -m stress -s

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

sample: install  ## rebuild data/ieg.duckdb from the sample
	$(PY) -m ieg_analysis init --sample --force

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
