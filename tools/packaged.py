"""Run mypy or import-linter on journeykg as it is packaged, reporting the repository's files.

The repository keeps graph/, api/, loaders/ ... at its top level and
packaging maps them into the journeykg namespace (pyproject.toml,
``[tool.setuptools] package-dir``). mypy resolves a module name to a path
one-to-one and cannot follow setuptools' editable import hook, and
import-linter (grimp) reads a package from the one folder it finds it in;
so both are given the package as setuptools builds it: ``build_py`` copies the sources
into build/typecheck/ along the same mapping a wheel uses (only files that
changed, with their times kept, so mypy's cache still hits). Error lines
are then mapped back to the files a developer edits.

Usage: python tools/packaged.py mypy [arguments]
       python tools/packaged.py lint-imports [arguments]
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

from setuptools import Distribution
from setuptools.config.pyprojecttoml import apply_configuration

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / "build" / "typecheck"


def stage() -> dict[str, str]:
    """Copy the packaged sources into STAGE; return staged folder -> repository folder."""
    with warnings.catch_warnings():
        # "[tool.setuptools] in pyproject.toml is still beta": a notice, not a problem.
        warnings.simplefilter("ignore")
        dist = apply_configuration(
            Distribution({"script_name": "setup.py"}), ROOT / "pyproject.toml"
        )
    build_py = dist.get_command_obj("build_py")
    build_py.build_lib = str(STAGE)
    build_py.compile = False
    build_py.ensure_finalized()
    # Built afresh, so that a module moved or deleted in the repository is gone here too
    # (copies keep their times, so mypy's cache still knows the files that did not change).
    shutil.rmtree(STAGE, ignore_errors=True)
    # build_py reports every file it copies; only mypy's output is of interest.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        build_py.run()
    package_dir: dict[str, str] = dict(dist.package_dir or {})
    # Longest first, so that journeykg.graph wins over journeykg.
    return {
        str(Path("build", "typecheck", *name.split("."))): folder
        for name, folder in sorted(package_dir.items(), key=lambda kv: -len(kv[0]))
    }


def to_repository(line: str, folders: dict[str, str]) -> str:
    """An output line of mypy with a staged path turned into the repository's path."""
    for staged, folder in folders.items():
        if line.startswith(staged + "/"):
            return folder + line[len(staged) :]
    return line


#: The tools this runs, as commands, and the folder each runs in. import-linter runs
#: inside the stage, so that journeykg is found there and not in the repository.
TOOLS = {
    "mypy": ([sys.executable, "-m", "mypy"], ROOT),
    "lint-imports": (
        [str(Path(sys.executable).parent / "lint-imports"), str(ROOT / "pyproject.toml")],
        STAGE,
    ),
}


def main() -> int:
    """Stage, run the tool named first, print its output with repository paths; its exit code."""
    if len(sys.argv) < 2 or sys.argv[1] not in TOOLS:
        print(f"usage: {sys.argv[0]} {{{','.join(TOOLS)}}} [arguments]", file=sys.stderr)
        return 2
    command, cwd = TOOLS[sys.argv[1]]
    folders = stage()
    done = subprocess.run(
        [*command, *sys.argv[2:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in (done.stdout + done.stderr).splitlines():
        print(to_repository(line, folders))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
