# make: lint and test. make test | lint | bench | bench-quick
.PHONY: all test lint types layers bench bench-quick

all: lint test

test:
	python -m pytest

lint: types layers
	ruff check bizcli tests benchmarks

types:
	mypy

layers:
	lint-imports

bench-quick:
	python benchmarks/run.py --quick

bench:
	python benchmarks/run.py
