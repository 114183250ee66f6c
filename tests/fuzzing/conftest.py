"""The fuzzing profile, chosen by ``BIZ_FUZZ_EXAMPLES``, and the per-parser counts.

Unset, each parser gets a quick, reproducible pass inside the normal suite. Set (as
``run.py`` does), each gets that many random inputs, and ``BIZ_FUZZ_REPORT`` names a
JSON file that receives, at the end of the session, the inputs each parser really ran
and the parsers that failed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from .targets import COUNTS

QUICK_EXAMPLES = 120
"""Inputs per parser in the normal suite: about 17 s for all 36 on a 2-core machine."""
EXAMPLES = int(os.environ.get("BIZ_FUZZ_EXAMPLES") or 0)
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
        HealthCheck.large_base_example]

settings.register_profile(
    "bizcli-fuzz-quick", max_examples=QUICK_EXAMPLES, derandomize=True, database=None,
    deadline=2000, suppress_health_check=SLOW, print_blob=True)
settings.register_profile(
    # A deadline, not None: an input that takes seconds (a quadratic loop) is a failure.
    "bizcli-fuzz-long", max_examples=max(EXAMPLES, 1), derandomize=False, database=None,
    deadline=2000, suppress_health_check=SLOW, print_blob=True)
PROFILE = "bizcli-fuzz-long" if EXAMPLES else "bizcli-fuzz-quick"
settings.register_profile("bizcli-fuzz", settings.get_profile(PROFILE))
"""What the tests use. Registered, not loaded: the other property tests keep theirs."""

FAILURES: Counter[str] = Counter()
"""Distinct failing inputs hypothesis reported, per parser."""


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count a failed parser's falsifying examples (its name is the test's parameter)."""
    if report.failed and report.nodeid.startswith("tests/fuzzing/") and "[" in report.nodeid:
        name = report.nodeid.rsplit("[", 1)[1].rstrip("]")
        FAILURES[name] += max(report.longreprtext.count("Falsifying example"), 1)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the counts where ``run.py`` asked for them."""
    target = os.environ.get("BIZ_FUZZ_REPORT")
    if target:
        Path(target).write_text(json.dumps({"inputs": dict(COUNTS),
                                            "failures": dict(FAILURES)}), encoding="utf-8")
