"""The developer tools under docs/ use only what exists: ``docs/make_images.py`` is not run by the
suite (it needs minutes of LibreOffice and Chromium), so a renamed API name would break it silently."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import nianbao

ROOT = Path(__file__).parents[1]


def test_make_images_uses_only_names_that_exist() -> None:
    tree = ast.parse((ROOT / "docs" / "make_images.py").read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "nianbao"}
    assert used, "make_images.py draws through the public API"
    assert not [name for name in used if not hasattr(nianbao, name)]
    imported = [(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module and node.module.startswith("nianbao") for alias in node.names]
    assert not [(m, n) for m, n in imported if not hasattr(importlib.import_module(m), n)]
