# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev lint format clean bench

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

install: $(STAMP)

install-dev: $(DEV_STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check sim pipeline tests bench
	$(BIN)/ruff format --check sim pipeline tests bench
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format sim pipeline tests bench
	$(BIN)/ruff check --fix sim pipeline tests bench

test: $(DEV_STAMP) lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data/runtime .pytest_cache .mypy_cache .ruff_cache
