"""The conda environments in envs/ pin the same versions as requirements.txt (what each rule's script needs of its env:
test_envs_workflow.py)."""

import re

import pytest
import yaml

from conftest import PROJECT

# conda-forge names that differ from PyPI's (case aside).
CONDA_TO_PYPI = {"netcdf4": "netcdf4", "cartopy": "cartopy"}


def pip_pins():
    pins = {}
    for line in (PROJECT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


@pytest.mark.parametrize("env_file", sorted((PROJECT / "envs").glob("*.yaml")), ids=lambda p: p.name)
def test_env_matches_pip_pins(env_file):
    pins = pip_pins()
    deps = yaml.safe_load(env_file.read_text())["dependencies"]
    assert deps, env_file
    for dep in deps:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)=(\S+)", dep).groups()
        if name == "python":
            assert version == "3.11"
            continue
        pypi = CONDA_TO_PYPI.get(name, name).lower()
        assert pypi in pins, f"{env_file.name}: {name} is not pinned in requirements.txt"
        assert pins[pypi] == version, f"{env_file.name}: {name}={version}, requirements.txt has {pins[pypi]}"


def test_every_rule_names_an_existing_env():
    for smk in (PROJECT / "rules").glob("*.smk"):
        for env in re.findall(r'conda:\s*\n\s*"\.\./(envs/[^"]+)"', smk.read_text()):
            assert (PROJECT / env).is_file(), f"{smk.name} uses missing {env}"
