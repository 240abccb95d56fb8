"""journeykg as it ships: one import path, mapped folders, a wheel and an sdist that run.

The repository keeps graph/, api/, loaders/ ... at its top level and
pyproject.toml maps them into the journeykg namespace (no symlinks). These
tests hold that mapping to the folders on disk, prove that every module
exists under one name only, and install a wheel and an sdist outside the
repository to run ``journeykg demo --no-serve`` from them.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _folder_of(package: str) -> Path:
    """The repository folder packaging maps ``package`` to (the longest mapped prefix wins)."""
    mapping: dict[str, str] = SETUPTOOLS["package-dir"]
    prefix = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
    rest = package[len(prefix) :].lstrip(".")
    return ROOT / mapping[prefix] / Path(*rest.split(".")) if rest else ROOT / mapping[prefix]


def test_every_package_folder_is_packaged_and_every_packaged_name_is_a_folder() -> None:
    listed = set(SETUPTOOLS["packages"])
    for package in listed:
        assert (_folder_of(package) / "__init__.py").is_file(), package
    mapped_roots = {ROOT / folder for folder in SETUPTOOLS["package-dir"].values()}
    on_disk = set()
    for package, folder in SETUPTOOLS["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            if "__pycache__" in init.parts:
                continue
            relative = init.parent.relative_to(ROOT / folder)
            nested_root = any(
                init.parent == root or root in init.parent.parents
                for root in mapped_roots - {ROOT / folder}
                if (ROOT / folder) in root.parents
            )
            if not nested_root:
                on_disk.add(".".join([package, *relative.parts]))
    assert on_disk == listed


def test_the_repository_holds_no_symlinks() -> None:
    files = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert [line for line in files if line.startswith("120000")] == []


def test_every_module_is_imported_under_one_name_only() -> None:
    # Walked package by package: journeykg.graph is not under journeykg/ on disk.
    names = []
    for package in SETUPTOOLS["packages"]:
        module = importlib.import_module(package)
        names.append(package)
        names += [
            info.name
            for info in pkgutil.iter_modules(module.__path__, package + ".")
            if not info.ispkg and not info.name.endswith("__main__")
        ]
    for name in names:
        importlib.import_module(name)
    by_file: dict[str, list[str]] = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and name.split(".")[0] in {"journeykg", *SETUPTOOLS["package-dir"].values()}:
            by_file.setdefault(os.path.realpath(file), []).append(name)
    assert {f: n for f, n in by_file.items() if len(n) > 1} == {}
    # The walk reached the mapped folders, not only journeykg/ itself.
    assert {"journeykg.graph.store", "journeykg.loaders.sync", "journeykg.api.app"} <= set(names)


@pytest.mark.parametrize("folder", ["graph", "api", "loaders", "services", "validation"])
def test_a_layer_imported_by_its_folder_name_is_refused(folder: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {folder}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert f"import journeykg.{folder}, not {folder}" in done.stderr


def _build(kind: str, into: Path, source: Path) -> Path:
    """Build a wheel or an sdist of ``source`` with setuptools' PEP 517 backend, in a subprocess."""
    code = f"import sys; from setuptools import build_meta as b; print(b.build_{kind}(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(into)],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
    )
    return into / done.stdout.strip().splitlines()[-1]


def _clean_copy(into: Path) -> Path:
    """The repository's files without build output, caches or environments.

    Built in place, setuptools reuses build/lib and *.egg-info/SOURCES.txt
    from earlier builds, which can carry a module that packaging no longer
    lists; a clean copy builds from the configuration alone.
    """
    return Path(
        shutil.copytree(
            ROOT,
            into,
            ignore=shutil.ignore_patterns(
                ".git",
                ".venv",
                "build",
                "dist",
                "*.egg-info",
                "__pycache__",
                ".*_cache",
                ".hypothesis",
                ".journeykg*",
                "target",
                "node_modules",
            ),
        )
    )


def _environment_with(wheel: Path, where: Path) -> Path:
    """A fresh virtual environment holding ``wheel``; its bin folder.

    The dependencies come from this environment's site-packages through a
    path entry, which Python adds without processing the .pth files in it:
    the editable install of the repository stays out, so nothing can be
    found in the repository by accident.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", where], check=True)
    site = Path(
        subprocess.run(
            [
                where / "bin" / "python",
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "journeykg_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            where / "bin" / "python",
            "install",
            "--quiet",
            "--no-deps",
            wheel,
        ],
        check=True,
    )
    return where / "bin"


def _run_demo_with(bin_dir: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``journeykg demo --no-serve``, run outside the repository."""
    workdir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("JOURNEYKG_", "PYTHON"))},
        "JOURNEYKG_STORE_DIR": str(workdir / "store"),
        "JOURNEYKG_STATE_DIR": str(workdir / "state"),
    }
    where = (
        "import journeykg, journeykg.graph.store as s, journeykg.validation.gate as g, "
        "journeykg.resources as r; print(journeykg.__file__); print(s.__file__); "
        "print(g.__file__); print(r.ontology_files()[0])"
    )
    located = subprocess.run(
        [bin_dir / "python", "-c", where], cwd=workdir, env=env, capture_output=True, text=True
    )
    assert located.returncode == 0, located.stderr
    for line in located.stdout.splitlines():
        assert Path(line).is_relative_to(bin_dir.parent), line
    return subprocess.run(
        [bin_dir / "journeykg", "demo", "--no-serve"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


#: Pages and assets the installed package must serve: the workspace's own, and the
#: vendored GraphiQL, Swagger UI and ReDoc (web/static/vendor/, from the npm lockfile).
_SERVED = (
    "/",
    "/sign-in",
    "/docs",
    "/static/workspace.css",
    "/static/vendor/graphiql/graphiql.min.js",
    "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js",
    "/static/vendor/redoc/bundles/redoc.standalone.js",
)


def _serve_pages_with(bin_dir: Path, workdir: Path) -> None:
    """The installed app answers every page and asset of :data:`_SERVED` with 200."""
    script = (
        "import sys, pathlib\n"
        "from fastapi.testclient import TestClient\n"
        "from journeykg.access.tokens import TokenStore\n"
        "from journeykg.api.app import create_app\n"
        "from journeykg.graph.embedded import EmbeddedStore\n"
        "from journeykg.settings import Settings\n"
        "settings = Settings(anonymous_read=True)\n"
        "tokens = TokenStore(pathlib.Path(sys.argv[1]) / 'tokens.db')\n"
        "store = EmbeddedStore(None, settings.base_iri)\n"
        "app = create_app(store, settings=settings, tokens=tokens)\n"
        "client = TestClient(app)\n"
        "for path in sys.argv[2:]:\n"
        "    print(path, client.get(path).status_code)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNEYKG_", "PYTHON"))}
    done = subprocess.run(
        [bin_dir / "python", "-W", "ignore", "-c", script, str(workdir), *_SERVED],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [w for path in _SERVED for w in (path, "200")]


def _assert_licensed(wheel: Path) -> None:
    """The wheel states its licence as an SPDX expression and carries the licence's text."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        headers = archive.read(metadata).decode()
        (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        text = archive.read(licence).decode()
    assert "License-Expression: Apache-2.0" in headers.splitlines()
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text


def test_a_wheel_installs_and_runs_the_demo_outside_the_repository(tmp_path: Path) -> None:
    wheel = _build("wheel", tmp_path, _clean_copy(tmp_path / "source"))
    _assert_licensed(wheel)
    done = _run_demo_with(_environment_with(wheel, tmp_path / "env"), tmp_path / "work")
    assert done.returncode == 0, done.stderr
    assert "loaded the demo organisation" in done.stdout
    _serve_pages_with(tmp_path / "env" / "bin", tmp_path / "work")
    assert "Kredietcheck" in done.stdout
    _serve_pages_with(tmp_path / "env" / "bin", tmp_path / "work")


def test_an_sdist_holds_everything_a_wheel_needs(tmp_path: Path) -> None:
    sdist = _build("sdist", tmp_path, _clean_copy(tmp_path / "source"))
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    (source,) = (tmp_path / "unpacked").iterdir()
    wheel = _build("wheel", tmp_path, source)
    done = _run_demo_with(_environment_with(wheel, tmp_path / "env"), tmp_path / "work")
    assert done.returncode == 0, done.stderr
    assert "loaded the demo organisation" in done.stdout
    _serve_pages_with(tmp_path / "env" / "bin", tmp_path / "work")
