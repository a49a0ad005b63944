"""The workflow as a Snakemake module of another workflow, its parse-time needs, and code edits that rerun jobs.

A copy of the repository (its git files, as a clone would have them) is used as a `module` by a Snakefile in
another folder, with that folder's own config: the demo runs to the end there, and its outputs are found there.
The same finished run then shows which jobs an edit of a tomoclust module marks outdated.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, snakemake

pytestmark = pytest.mark.workflow

# Third-party packages that the workflow's parse-time code must not import (Snakemake alone must parse it).
NOT_AT_PARSE_TIME = (
    "xarray",
    "pandas",
    "numpy",
    "netCDF4",
    "pooch",
    "matplotlib",
    "scipy",
    "sklearn",
    "tslearn",
    "cartopy",
    "dask",
    "kneed",
    "numba",
    "shapefile",
)
# A sitecustomize that makes the workflow's own imports of those fail, as where only Snakemake is installed
# (Snakemake itself and its plugins may still import them: pandas is imported by the SLURM executor plugin).
BLOCKER = """
import builtins, os, sys
BLOCKED = set(os.environ["BLOCK_IMPORTS"].split(","))
PREFIXES = tuple(os.environ["BLOCK_IMPORTS_FROM"].split(os.pathsep))
_import = builtins.__import__
def _blocking_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] in BLOCKED and sys._getframe(1).f_code.co_filename.startswith(PREFIXES):
        raise ModuleNotFoundError(f"No module named {name!r} (only Snakemake and the standard library here)", name=name)
    return _import(name, globals, locals, fromlist, level)
builtins.__import__ = _blocking_import
"""


def copy_repository(dest: Path) -> Path:
    """The files git knows (tracked, or new and not ignored), as a fresh clone would have them."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        if (PROJECT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, dest / name)
    return dest


USER_SNAKEFILE = """\
configfile: "config.yaml"


module tomo:
    snakefile:
        "{snakefile}"
    config:
        config


use rule * from tomo
"""

USER_CONFIG = {
    "models": [
        {
            "name": "demo",
            "path": "resources/demo/wus_synthetic.nc",
            "variable": "dvs",
            "region": {"lat": [36, 44], "lon": [-118, -108]},
            "depth": [20, 600],
        }
    ],
    "k": {"min": 2, "max": 3},
    "k_per_job": 2,
    "stability": {"restarts": 0},
    # One map k, no overlay, the coarse basemap: the figures are the slow part of a small run.
    "maps": {"k": [3], "pdf": "none", "overlays": [], "resolution": "110m"},
    "figure_k": [3],
}


@pytest.fixture(scope="module")
def module_run(tmp_path_factory):
    """(clone, project): the project's Snakefile uses the clone as a module; the demo has run to the end."""
    clone = copy_repository(tmp_path_factory.mktemp("clone"))
    project = tmp_path_factory.mktemp("project")
    (project / "Snakefile").write_text(USER_SNAKEFILE.format(snakefile=clone / "Snakefile"))
    (project / "config.yaml").write_text(yaml.safe_dump(USER_CONFIG))
    snakemake(project)
    return clone, project


def test_demo_runs_as_a_module_from_another_folder(module_run):
    clone, project = module_run
    for output in (
        "resources/demo/wus_synthetic.nc",
        "results/demo/profiles.nc",
        "results/demo/fits/k3.nc",
        "results/demo/inertia.csv",
        "results/demo/labels.nc",
        "results/demo/figures/elbow.png",
        "results/demo/figures/maps/k3.png",
        "results/demo/figures/summary.pdf",
        "results/demo/explore.html",
    ):
        assert (project / output).is_file(), output
    assert not (clone / "results").exists() and not (clone / "resources" / "demo").exists()
    assert "Nothing to be done" in snakemake(project, "-n").stdout


def parse_needs_only_snakemake(workflow_dir: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """`snakemake --lint` where the workflow's own code cannot import NOT_AT_PARSE_TIME."""
    (tmp_path / "blocker").mkdir()
    (tmp_path / "blocker" / "sitecustomize.py").write_text(textwrap.dedent(BLOCKER))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "blocker"),
        "BLOCK_IMPORTS": ",".join(NOT_AT_PARSE_TIME),
        "BLOCK_IMPORTS_FROM": os.pathsep.join(str(workflow_dir / name) for name in ("Snakefile", "rules/", "scripts/")),
    }
    shutil.copy(workflow_dir / "config.yaml", tmp_path / "config.yaml")
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", str(workflow_dir / "Snakefile"), "--lint", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def lint_alone(tmp_path_factory):
    result = parse_needs_only_snakemake(PROJECT, tmp_path_factory.mktemp("lint"))
    return result.returncode, result.stdout + result.stderr


def test_parse_time_needs_only_snakemake(lint_alone):
    returncode, output = lint_alone
    assert "Error" not in output and "Traceback" not in output, output[-3000:]
    assert returncode == 0 or "Lints for" in output, output[-3000:]


def test_lint_passes_with_snakemake_alone(lint_alone):
    returncode, output = lint_alone
    assert returncode == 0, output[-3000:]


# --- Code changes rerun what they change -------------------------------------------------------------------------


def triggered_by_code(project: Path, module: Path) -> set[str]:
    """The rules of the jobs a dry run reruns because ``module`` changed (not those rerun downstream of them)."""
    result = snakemake(project, "-n")
    # Jobs of a group job (the figures group) are printed indented under it.
    header = r"[ \t]*(?:local)?(?:rule|checkpoint) (\w+):"
    jobs = re.split(rf"\n(?={header}\n)", result.stdout)
    name = module.name
    return {
        re.match(header, job).group(1)
        for job in jobs
        if re.match(header, job) and re.search(rf"reason:.*Updated input files:[^\n]*\b{re.escape(name)}\b", job)
    }


def chunk_rules(found: set[str], stage: str) -> set[str]:
    """The rules of a stage's chunks of k among ``found`` (`fit_kmeans`, `fit_kmeans_k2_3`...), at least one."""
    return {name for name in found if re.fullmatch(rf"{stage}(_k\d+(_\d+)?)?", name)} or {f"{stage} (none found)"}


def edit_and_check(module_run, module: str, expected) -> None:
    """A real edit of scripts/tomoclust/<module> in the clone; the rules it reruns are ``expected``; then undone."""
    clone, project = module_run
    path = clone / "scripts" / "tomoclust" / module
    text, stat = path.read_text(), path.stat()
    try:
        path.write_text(text + "\n# an edit\n")
        found = triggered_by_code(project, path)
        if callable(expected):
            expected = expected(found)
        assert found == set(expected), f"editing {module} reruns {sorted(found)}, expected {sorted(expected)}"
    finally:
        path.write_text(text)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_editing_a_module_reruns_the_rules_that_run_it(module_run):
    # extract.py runs in the extraction only (not in the fits, which read profiles.nc).
    edit_and_check(module_run, "extract.py", {"extract_profiles"})
    # demo.py makes the demo model, and nothing else.
    edit_and_check(module_run, "demo.py", {"demo_model"})
    # maps.py draws the maps and the summary panel; fit.py runs in the fits (rule names depend on the chunks).
    edit_and_check(module_run, "maps.py", lambda found: {"plot_summary"} | chunk_rules(found, "plot_maps"))
    edit_and_check(module_run, "fit.py", lambda found: chunk_rules(found, "fit_kmeans"))
    # Every edit undone: nothing to rerun.
    assert "Nothing to be done" in snakemake(module_run[1], "-n").stdout
