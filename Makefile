# The two commands of the README:
#   make serve   install, build the graph and serve it on the embedded Oxigraph store
#   make test    install everything the tests need and run the whole test suite
# Both install into a virtual environment of their own (.venv/, made from $(PYTHON) when it is
# missing), so nothing depends on what the machine's Python happens to hold.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
PY := $(VENV)/bin/python

.PHONY: install serve build test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .

build: install
	$(VENV)/bin/fukushi-kg build

serve: build
	$(VENV)/bin/fukushi-kg serve --port $(PORT)

# As root every Debian package the tests use is installed, so no test may skip there.
test: $(PY)
	bash scripts/install-test-deps $(PY)
	FUKUSHI_KG_NO_SKIPS=$$( [ "$$(id -u)" = 0 ] && echo 1 || echo 0 ) $(PY) -m pytest
