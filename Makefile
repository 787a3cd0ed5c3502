# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# Airflow lives in its own venv (Airflow 2 would downgrade SQLAlchemy; 3.3 has no downloadable constraints)
AIRFLOW_VENV := .venv-airflow
AIRFLOW_STAMP := $(AIRFLOW_VENV)/.installed

.PHONY: run test install install-dev airflow-venv lint format clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	# make sim and pipeline importable from anywhere (notebooks, Airflow) without a build step
	$(BIN)/python -c "import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()['purelib'], 'crypto_paper_sim.pth').write_text('$(CURDIR)\\n')"
	touch $@

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(AIRFLOW_STAMP): airflow/requirements.txt requirements.txt
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install --quiet --upgrade pip
	$(AIRFLOW_VENV)/bin/pip install --quiet -r airflow/requirements.txt -r requirements.txt
	$(AIRFLOW_VENV)/bin/python -c "import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()['purelib'], 'crypto_paper_sim.pth').write_text('$(CURDIR)\\n')"
	touch $@

install: $(STAMP)

airflow-venv: $(AIRFLOW_STAMP)

install-dev: $(DEV_STAMP)

# the login cookie key: a random one per machine, made on the first `make run` (never committed)
.streamlit/secrets.toml: | $(BIN)/python
	@printf '[auth]\ncookie_key = "%s"\n' "$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" > $@
	@echo "wrote a random login cookie key to $@"

# ui.serve checks the cookie key and settings first (exit 2 naming the variable, before anything
# listens), then runs `streamlit run app.py` bound to APP_ADDRESS (default 127.0.0.1: this machine)
run: $(STAMP) .streamlit/secrets.toml
	$(BIN)/python -m ui.serve

lint: $(DEV_STAMP)
	$(BIN)/ruff check sim pipeline tests bench app.py ui app_pages airflow
	$(BIN)/ruff format --check sim pipeline tests bench app.py ui app_pages airflow
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format sim pipeline tests bench app.py ui app_pages airflow
	$(BIN)/ruff check --fix sim pipeline tests bench app.py ui app_pages airflow

test: $(DEV_STAMP) $(AIRFLOW_STAMP) lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(AIRFLOW_VENV) data/runtime .pytest_cache .mypy_cache .ruff_cache
