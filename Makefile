# make: lint and test. make test | lint | bench | bench-quick | faults | concurrency | fuzz
.PHONY: all test lint types layers bench bench-quick faults concurrency fuzz

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

# The long reliability runs (docs/reliability.md); the suite runs a quick part of each.
faults:
	python tests/faults/run.py

concurrency:
	python tests/faults/concurrency.py --workers 4 --writes 250

fuzz:
	python tests/fuzzing/run.py --examples 100000
