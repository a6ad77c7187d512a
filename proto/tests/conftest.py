"""Make the generated protobuf code (.gen/python) importable and loaded into the descriptor pool."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from esis_shared.registry import TopicRegistry, import_generated

PROTO_DIR = Path(__file__).resolve().parents[1]
GEN_DIR = PROTO_DIR.parent / ".gen" / "python"

_spec = importlib.util.find_spec("esis")
if (_spec is None or _spec.origin is None) and str(GEN_DIR) not in sys.path:
    # Not importable, or only as the namespace package of proto/esis (which holds .proto files).
    sys.path.insert(0, str(GEN_DIR))


@pytest.fixture(scope="session")
def generated_modules() -> list[str]:
    if not (GEN_DIR / "esis").is_dir():
        pytest.fail(f"{GEN_DIR} is missing: run `.venv/bin/python scripts/gen_proto.py` (make proto) first")
    return import_generated(GEN_DIR)


@pytest.fixture(scope="session")
def registry(generated_modules: list[str]) -> TopicRegistry:
    return TopicRegistry.load(PROTO_DIR / "topics")
