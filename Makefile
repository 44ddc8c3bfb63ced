# Meldpunt: `make run` serves the demo school, `make test` runs the whole suite.
VENV   ?= .venv
PYTHON ?= python3
PORT   ?= 5000
FLASK  := $(VENV)/bin/flask --app tracker
TRACKER_DEMO ?= 1
# The app builds its links from PORT when TRACKER_BASE_URL is not set (config.default_base_url).
export PORT

.PHONY: install run serve test fuzz bench audit lint clean translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

run: install
	$(FLASK) db upgrade
	@if [ "$(TRACKER_DEMO)" != "0" ]; then $(FLASK) demo; else $(FLASK) setup-token; fi
	@echo "Meldpunt runs at http://127.0.0.1:$(PORT)  (stop with Ctrl-C)"
	@# The worker (a tick a minute: escalation, reminders, mail) runs beside the server and
	@# stops with it.
	@$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port $(PORT)

# axe-core for the browser tests' accessibility checks (npm; skipped with a note when absent).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests will skip their accessibility checks"; fi

test: install node_modules/.installed
	$(VENV)/bin/python -m pytest

# The who-sees-what invariants (tests/test_invariants.py), explored long and at random; failing
# examples are kept in .hypothesis/ and replayed first. FUZZ_EXAMPLES sets how many (default 300).
FUZZ_EXAMPLES ?= 300
fuzz: install
	TRACKER_INVARIANTS_PROFILE=fuzz TRACKER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
		$(VENV)/bin/python -m pytest -q -p no:cacheprovider tests/test_invariants.py

# Extract the Dutch strings, merge them into every language's catalogue and compile it.
translations: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l --no-location --sort-output \
		-o tracker/translations/messages.pot .
	$(VENV)/bin/pybabel update -i tracker/translations/messages.pot -d tracker/translations \
		--no-fuzzy-matching
	$(VENV)/bin/pybabel compile -d tracker/translations

# bench/run.py runs bench/tick.py (the tick figures) after the web figures.
bench: install
	$(VENV)/bin/python bench/run.py

audit: install
	$(VENV)/bin/bandit -q -r tracker -ll

lint: install
	$(VENV)/bin/ruff check tracker tests bench

clean:
	rm -rf $(VENV) instance/*.sqlite3* .pytest_cache
