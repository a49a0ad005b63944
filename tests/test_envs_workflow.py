"""Every rule's conda env holds, pinned, every third-party package its script imports (the rules as Snakemake parses
them).

The script and the tomoclust modules it imports, transitively, walked with `ast` (imports inside functions too).
"""

import re
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT

pytestmark = pytest.mark.workflow

# Import names whose distribution (conda-forge and PyPI) is named otherwise; any other name is its own distribution.
DISTRIBUTIONS = {
    "sklearn": "scikit-learn",
    "netCDF4": "netcdf4",
    "yaml": "pyyaml",
    "shapefile": "pyshp",
    "PIL": "pillow",
    "mpl_toolkits": "matplotlib",
}
# Packages a package needs at run time without the code importing them by name (pinned too, so that conda cannot
# pick versions other than those tested).
IMPLIED = {
    "xarray": {"numpy", "pandas", "netcdf4"},  # every dataset here is netCDF: xarray's netcdf4 engine
    "tslearn": {"numpy", "scipy", "scikit-learn", "numba"},
    "scikit-learn": {"numpy", "scipy", "threadpoolctl"},
    "kneed": {"numpy", "scipy"},
    "cartopy": {"numpy", "shapely", "pyproj", "pyshp", "matplotlib"},
    "pandas": {"numpy"},
    "matplotlib": {"numpy"},
}
# Importable wherever a rule's script runs: Snakemake puts its own package on the script's sys.path.
PROVIDED = {"snakemake"}


def script_packages(script: Path) -> dict[str, str]:
    """{distribution: where it is imported} for a script and the tomoclust code it runs (tomoclust.codedeps)."""
    from tomoclust.codedeps import reached

    found = reached(script)
    needed = {
        DISTRIBUTIONS.get(name, name).lower(): where for name, where in found.imports.items() if name not in PROVIDED
    }
    if found.chunks:
        needed.setdefault("dask", f"{found.chunks}: chunks=")
    for distribution in list(needed):
        stack = [distribution]
        while stack:
            for implied in IMPLIED.get(stack.pop(), ()):
                if implied not in needed:
                    needed[implied] = f"needed by {distribution}"
                    stack.append(implied)
    return needed


def env_packages(env_file: Path) -> set[str]:
    names = set()
    for dep in yaml.safe_load(env_file.read_text())["dependencies"]:
        assert isinstance(dep, str) and re.fullmatch(r"[A-Za-z0-9_.-]+=\S+", dep), (
            f"{env_file.name}: {dep!r} is not pinned"
        )
        names.add(dep.split("=")[0].lower())
    return names


@pytest.fixture(scope="module")
def script_rules(tmp_path_factory):
    """(rule name, script, env file) of every rule with a script, from the workflow as Snakemake parses it."""
    from snakemake.api import (
        ConfigSettings,
        DAGSettings,
        OutputSettings,
        ResourceSettings,
        SnakemakeApi,
        StorageSettings,
    )
    from snakemake.settings.types import Quietness

    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(
            snakefile=PROJECT / "Snakefile",
            workdir=tmp_path_factory.mktemp("parse"),
            config_settings=ConfigSettings(configfiles=[PROJECT / "config.yaml"]),
            resource_settings=ResourceSettings(cores=1),
            storage_settings=StorageSettings(),
        )
        workflow_api.dag(DAGSettings())
        rules = []
        for rule in workflow_api._workflow.rules:
            if rule.script is None:
                assert rule.conda_env is None or rule.shellcmd, f"rule {rule.name}: a conda env but no script"
                continue
            base = Path(rule.basedir)
            assert rule.conda_env, f"rule {rule.name} runs {rule.script} but names no conda env"
            rules.append((rule.name, (base / str(rule.script)).resolve(), (base / str(rule.conda_env)).resolve()))
    assert len(rules) >= 10, rules
    return rules


def missing_packages(script: Path, env: set[str]) -> dict[str, str]:
    return {name: where for name, where in script_packages(script).items() if name not in env}


def test_every_rule_env_holds_what_its_script_imports(script_rules):
    problems = []
    for name, script, env_file in script_rules:
        missing = missing_packages(script, env_packages(env_file))
        problems += [f"rule {name} ({env_file.name}): {package}, {where}" for package, where in missing.items()]
    assert not problems, "packages missing from the rules' conda envs:\n" + "\n".join(sorted(problems))


def test_env_check_finds_a_package_taken_away(script_rules):
    """The check above would fail if, for instance, matplotlib left the env of a rule that draws."""
    drawing = [(name, script, env) for name, script, env in script_rules if env.name == "plot.yaml"]
    assert drawing
    for name, script, env_file in drawing:
        assert "matplotlib" in missing_packages(script, env_packages(env_file) - {"matplotlib"}), name
    extract = (
        next(script for name, script, _ in script_rules if name == "extract_profiles")
        if any(name == "extract_profiles" for name, _, _ in script_rules)
        else None
    )
    if extract is not None:
        assert {"dask", "netcdf4", "pandas"} <= set(script_packages(extract))
