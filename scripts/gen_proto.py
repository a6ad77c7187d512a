"""Generate Python, gRPC and mypy stubs from proto/ into .gen/python (never committed).

Run with the project's venv: `.venv/bin/python scripts/gen_proto.py`. Generation goes to a scratch
folder first and replaces .gen/python only on success, so stale modules of deleted protos disappear
and a failed run leaves the previous output in place.
"""

from __future__ import annotations

import shutil
import sys
from importlib import resources
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[1]
PROTO_DIR = ROOT / "proto"
OUT_DIR = ROOT / ".gen" / "python"


def proto_files(proto_dir: Path) -> list[str]:
    """Every .proto under proto_dir, relative to it, as protoc wants them."""
    return sorted(p.relative_to(proto_dir).as_posix() for p in proto_dir.rglob("*.proto"))


def plugin(name: str) -> str:
    """The mypy-protobuf plugin installed next to this interpreter (the venv's bin/)."""
    path = Path(sys.executable).parent / name
    found = path if path.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"gen_proto: {name} not found; install mypy-protobuf into this venv")
    return f"--plugin={name}={found}"


def protoc_args(out: Path, files: list[str]) -> list[str]:
    well_known = resources.files("grpc_tools") / "_proto"
    return [
        "grpc_tools.protoc",
        f"--proto_path={PROTO_DIR}",
        f"--proto_path={well_known}",
        plugin("protoc-gen-mypy"),
        plugin("protoc-gen-mypy_grpc"),
        f"--python_out={out}",
        f"--grpc_python_out={out}",
        f"--mypy_out=quiet:{out}",
        f"--mypy_grpc_out=quiet:{out}",
        *files,
    ]


def add_package_markers(out: Path) -> None:
    """Make every generated folder a regular package, so `import esis.identity.v1...` works."""
    for folder in [p for p in out.rglob("*") if p.is_dir()]:
        (folder / "__init__.py").touch()
        if folder.parent == out:
            (folder / "py.typed").touch()


def generate(proto_dir: Path = PROTO_DIR, out_dir: Path = OUT_DIR) -> list[str]:
    files = proto_files(proto_dir)
    if not files:
        raise SystemExit(f"gen_proto: no .proto files under {proto_dir}")
    scratch = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    if protoc.main(protoc_args(scratch, files)) != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        raise SystemExit("gen_proto: protoc failed")
    add_package_markers(scratch)
    shutil.rmtree(out_dir, ignore_errors=True)
    scratch.rename(out_dir)
    return files


def main() -> None:
    files = generate()
    print(f"gen_proto: {len(files)} proto files -> {OUT_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
