"""Shared test set-up: make ``tests/`` importable for helper modules such as ``spec_tables``."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))
