"""Run bizcli as ``python -m bizcli``."""

from __future__ import annotations

from bizcli.cli.main import run

if __name__ == "__main__":
    run()
