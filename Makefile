# Strategic Procurement Workbook: the two commands are `make lab` and `make test`.
# Everything installs into .venv from requirements.lock (Python 3.11).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# JupyterLab refuses to start as root unless told; only then is the flag added.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_ARGS ?=

.PHONY: lab app test lint sync new-module install data lock benchmark clean-env help

help:
	@echo "make lab        install (first time) and open the course in JupyterLab"
	@echo "make app        open the course as apps (Voila): lesson text and tools, no code; APP_PORT=8866"
	@echo "make test       install (first time) and run the whole test suite"
	@echo "make lint       ruff, formatting, spelling, YAML, lesson pairs, stripped notebooks"
	@echo "make sync       after editing a lesson's .md: update its .ipynb (jupytext --sync)"
	@echo "make new-module NAME=08_short_name TITLE=\"Title\" STAGE=monitoring   start a module from the template"
	@echo "make benchmark  print speed figures (notebooks, spend workbench)"
	@echo "make lock       after editing requirements.lock: reinstall and refresh environment.yml"

$(STAMP): requirements.lock pyproject.toml jupyter-settings/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "The course needs Python 3.11 (found " + sys.version.split()[0] + "). Install python3.11, or run: make PYTHON=/path/to/python3.11 lab")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter-settings/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

install: $(STAMP)

data: $(STAMP)
	$(BIN)/python -m helpers generate-data --if-missing

lab: data
	$(BIN)/python -m jupyterlab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) $(ROOT_FLAG) notebooks/00_start_here.ipynb

# App mode: the same notebooks served by Voila (helpers/learning/app.py), opening the course menu.
APP_PORT ?= 8866
app: data
	$(BIN)/python -m helpers app --port $(APP_PORT)

test: data
	$(BIN)/python -m pytest tests notebooks --nbval-lax -p no:cacheprovider -n 2 --dist loadfile $(PYTEST_ARGS)

# The same checks as the pre-commit hooks (.pre-commit-config.yaml), run directly with the tools in
# .venv. Every check runs; the target fails at the end if any failed. Notebooks are excluded from
# ruff's own file discovery (pyproject.toml) and linted read-only here by name.
LINT_NOTEBOOKS = $(wildcard notebooks/*.ipynb course/templates/*.ipynb)
YAML_FILES = $(shell find . \( -name .git -o -name .venv -o -name .venv-bench -o -name my_work -o -name my_data \) -prune \
	-o \( -name '*.yaml' -o -name '*.yml' \) -type f -print)

lint: $(STAMP)
	@failed=""; \
	echo "--- ruff check"; $(BIN)/ruff check --output-format=concise . $(LINT_NOTEBOOKS) || failed="$$failed ruff-check"; \
	echo "--- ruff format --check"; $(BIN)/ruff format --check --output-format=concise . || failed="$$failed ruff-format"; \
	echo "--- codespell"; $(BIN)/codespell || failed="$$failed codespell"; \
	echo "--- check-yaml"; $(BIN)/check-yaml $(YAML_FILES) || failed="$$failed check-yaml"; \
	echo "--- lesson pairs (.md and .ipynb agree)"; $(BIN)/python tools/notebook_pairs.py --check || failed="$$failed pairs"; \
	echo "--- notebook outputs stripped (except keep-output cells)"; \
	$(BIN)/python tools/strip_notebooks.py --check || failed="$$failed stripped"; \
	if [ -n "$$failed" ]; then echo "lint failed:$$failed"; exit 1; fi; echo "lint: all checks passed"

sync: $(STAMP)
	$(BIN)/python tools/notebook_pairs.py

# make new-module NAME=08_short_name TITLE="Title of the module" STAGE=monitoring
new-module: $(STAMP)
	@test -n "$(NAME)" || { echo 'usage: make new-module NAME=08_short_name TITLE="Title" STAGE=monitoring'; exit 2; }
	$(BIN)/python tools/new_module.py "$(NAME)" "$(TITLE)" "$(STAGE)"

# Measured in the course environment itself (pyarrow is in requirements.lock): ingest and analyse
# at 100k, 1M and 5M lines with peak RSS, a learner kernel after each notebook, the whole course vs
# the floor, and one line per goal (met / not met). Figures go in course/benchmarks.md.
benchmark: data
	$(BIN)/python tools/bench_spend.py --sizes 100000,1000000,5000000
	$(BIN)/python tools/benchmark.py

lock:
	$(BIN)/python tools/sync_environment.py
	@rm -f $(STAMP)
	$(MAKE) install

clean-env:
	rm -rf $(VENV)

# JupyterHub load test (issue 13; a benchmark, not a timed test): LEARNERS simulated learners run modules
# 00 -> 03 -> 04 on a real hub on 127.0.0.1. build/hub/ (git-ignored) gets a venv with the lock,
# tools/hub/requirements.txt and the course installed non-editable, and configurable-http-proxy from npm.
LEARNERS  ?= 30
HUB_DIR   := build/hub
HUB_STAMP := $(HUB_DIR)/venv/.installed
HUB_PROXY := $(HUB_DIR)/proxy/node_modules/.bin/configurable-http-proxy

$(HUB_STAMP): requirements.lock tools/hub/requirements.txt pyproject.toml
	@test -x $(HUB_DIR)/venv/bin/python || $(PYTHON) -m venv $(HUB_DIR)/venv
	$(HUB_DIR)/venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r tools/hub/requirements.txt
	@touch $@

$(HUB_PROXY):
	npm install --prefix $(HUB_DIR)/proxy --no-audit --no-fund configurable-http-proxy@5.3.0

.PHONY: hub-load-test
hub-load-test: $(HUB_STAMP) $(HUB_PROXY)
	$(HUB_DIR)/venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall .
	$(HUB_DIR)/venv/bin/python tools/hub/load_test.py --learners $(LEARNERS)
