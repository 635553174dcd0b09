#!/usr/bin/env python3
"""`make dist`: put the browser libraries into the package and build the wheel.

1. Every file the pages load from /vendor/ (found in frontwatch/web/templates/*.html and
   frontwatch/web/static/*.js) is copied from npm's node_modules into frontwatch/web/vendor/ (git-ignored,
   package data), with each package's licence. `frontwatch serve` serves that folder when installed.
2. The wheel is built from a clean copy of the package (pyproject.toml, README.md, frontwatch/) in a
   temporary folder, so nothing left over in build/ can slip into it.

Usage: python tools/dist.py [--modules node_modules] [--out dist]
Prints the wheel's path. Exit status 0 when built, 1 when an asset is missing (run `npm ci`) or the build
fails. Needs setuptools and wheel in the running Python (the `test` extra installs them).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEB = REPO / "frontwatch" / "web"
VENDOR = WEB / "vendor"
REFERENCE = re.compile(r"""["'`]/vendor/([A-Za-z0-9@._/-]+)["'`]""")
LICENCES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license")


def referenced_assets(web: Path = WEB) -> list[str]:
    """The paths under /vendor/ that the pages load, e.g. 'cytoscape/dist/cytoscape.min.js'."""
    found: set[str] = set()
    for source in [*sorted((web / "templates").glob("*.html")), *sorted((web / "static").glob("*.js"))]:
        found.update(REFERENCE.findall(source.read_text(encoding="utf-8")))
    return sorted(found)


def copy_assets(modules: Path, target: Path = VENDOR, web: Path = WEB) -> list[Path]:
    """Replace `target` with the referenced files from `modules` (and each package's licence)."""
    wanted = referenced_assets(web)
    missing = [name for name in wanted if not (modules / name).is_file()]
    if missing:
        raise SystemExit(f"dist: {modules} lacks {', '.join(missing)}: run `npm ci` (make dist does)")
    if target.exists():
        shutil.rmtree(target)
    copied: list[Path] = []
    packages = {"/".join(name.split("/")[:2 if name.startswith("@") else 1]) for name in wanted}
    extra = [f"{package}/{licence}" for package in sorted(packages) for licence in LICENCES
             if (modules / package / licence).is_file()]
    for name in [*wanted, *extra]:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / name, destination)
        copied.append(destination)
    return copied


def build_wheel(out: Path, repo: Path = REPO, python: str = sys.executable) -> Path:
    """Build the wheel from a clean copy of the package into `out`; returns its path."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="frontwatch-dist-") as tmp:
        tree = Path(tmp) / "src"
        tree.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            if (repo / name).is_file():
                shutil.copyfile(repo / name, tree / name)
        shutil.copytree(repo / "frontwatch", tree / "frontwatch",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        built = Path(tmp) / "wheel"
        done = subprocess.run([python, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                               "-w", str(built), str(tree)], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"dist: building the wheel failed:\n{done.stdout}{done.stderr}")
        (wheel,) = built.glob("frontwatch-*.whl")
        target = out / wheel.name
        shutil.copyfile(wheel, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=Path, default=REPO / "node_modules", help="npm's node_modules")
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="where the wheel goes")
    args = parser.parse_args(argv)
    try:
        copied = copy_assets(args.modules)
        wheel = build_wheel(args.out)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"dist: {len(copied)} browser files in {VENDOR.relative_to(REPO)}; {wheel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
