# The two commands of the README:
#   make serve   install, build the graph and serve it on the embedded Oxigraph store
#   make test    install everything the tests need and run the whole test suite
PYTHON ?= python3
PORT ?= 8000

.PHONY: install serve build test

install:
	$(PYTHON) -m pip install --quiet -e .

build: install
	fukushi-kg build

serve: build
	fukushi-kg serve --port $(PORT)

test:
	bash scripts/install-test-deps
	$(PYTHON) -m pytest
