# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app taskboard
TRANSLATIONS := taskboard/translations/en/LC_MESSAGES/messages.mo

.PHONY: run rehearse test e2e serve migrate demo bench lint translations clean wheelhouse

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: reinstall only when the dependencies change.
$(VENV)/.installed: $(BIN)/python setup.cfg setup.py pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed setup.cfg
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(TRANSLATIONS): taskboard/translations/en/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d taskboard/translations -f

# The secret key: readable by its owner only.
instance/config.py:
	mkdir -p -m 700 instance
	umask 077; $(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@

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

# One archive for an offline server (Linux x86_64, Python 3.11): the project and every
# dependency as wheels. Install: see README, Production.
WHEELHOUSE := dist/taskboard-wheelhouse-py311-linux_x86_64.tar.gz
wheelhouse: $(VENV)/.installed $(TRANSLATIONS)
	rm -rf build/wheelhouse && mkdir -p build/wheelhouse dist
	$(BIN)/pip wheel --quiet --wheel-dir build/wheelhouse .
	tar -czf $(WHEELHOUSE) -C build wheelhouse
	@echo "$(WHEELHOUSE): $$(ls build/wheelhouse | wc -l) wheels"

clean:
	rm -rf $(VENV) .pytest_cache build dist
