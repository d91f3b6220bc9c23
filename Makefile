# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app taskboard
TRANSLATIONS := taskboard/translations/en/LC_MESSAGES/messages.mo

.PHONY: run rehearse test e2e serve migrate demo bench lint translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when the dependencies change.
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed setup.cfg
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(TRANSLATIONS): taskboard/translations/en/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d taskboard/translations -f

instance/config.py:
	mkdir -p instance
	$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

migrate: $(VENV)/.installed instance/config.py
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo --if-empty

run: $(VENV)/.installed $(TRANSLATIONS) instance/config.py demo
	@echo "Taskboard: http://127.0.0.1:$(PORT)  (accounts: see README.md, password taskboard-demo)"
	@scripts/serve.sh "$(FLASK)" $(PORT)

# The demo as of another day, from a database of its own (make run's is never touched):
#   make rehearse DAY=2022-06-15
REHEARSE_ENV = TASKBOARD_TODAY=$(DAY) \
	TASKBOARD_SQLALCHEMY_DATABASE_URI=sqlite:///$(CURDIR)/instance/rehearse.db
rehearse: $(VENV)/.installed $(TRANSLATIONS) instance/config.py
	@echo "$(DAY)" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}$$' || \
		{ echo "usage: make rehearse DAY=YYYY-MM-DD" >&2; exit 2; }
	rm -f instance/rehearse.db
	$(REHEARSE_ENV) $(FLASK) db upgrade
	$(REHEARSE_ENV) $(FLASK) demo --year $(firstword $(subst -, ,$(DAY)))
	@echo "Taskboard as of $(DAY): http://127.0.0.1:$(PORT)"
	@$(REHEARSE_ENV) scripts/serve.sh "$(FLASK)" $(PORT)

test: $(VENV)/.installed-dev $(TRANSLATIONS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every role's day in headless Chromium against a real server; screenshots in test-output/.
e2e: $(VENV)/.installed-dev $(TRANSLATIONS)
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

bench: $(VENV)/.installed-dev $(TRANSLATIONS)
	$(BIN)/python bench/run.py

# Refresh the catalogue after adding UI strings.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o taskboard/translations/messages.pot .
	$(BIN)/pybabel update -i taskboard/translations/messages.pot -d taskboard/translations

clean:
	rm -rf $(VENV) .pytest_cache
