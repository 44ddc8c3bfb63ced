# Meldpunt: `make run` serves the demo school, `make test` runs the whole suite.
VENV   ?= .venv
PYTHON ?= python3
PORT   ?= 5000
FLASK  := $(VENV)/bin/flask --app tracker
TRACKER_DEMO ?= 1

.PHONY: install run serve test bench audit lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	$(FLASK) db upgrade
	@if [ "$(TRACKER_DEMO)" != "0" ]; then $(FLASK) demo; fi
	@echo "Meldpunt runs at http://127.0.0.1:$(PORT)  (stop with Ctrl-C)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install
	$(VENV)/bin/python -m pytest

bench: install
	$(VENV)/bin/python bench/run.py

audit: install
	$(VENV)/bin/bandit -q -r tracker -ll

lint: install
	$(VENV)/bin/ruff check tracker tests config.py bench migrations

clean:
	rm -rf $(VENV) instance/*.sqlite3* .pytest_cache
