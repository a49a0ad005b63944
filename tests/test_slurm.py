"""The profiles for running on SLURM and locally (the runs on a real cluster: test_slurm_workflow.py)."""

import yaml

from conftest import PROJECT


def test_profiles_are_valid_yaml_with_the_documented_keys():
    slurm = yaml.safe_load((PROJECT / "profiles/slurm/config.yaml").read_text())
    assert slurm["executor"] == "slurm" and slurm["retries"] >= 1 and slurm["rerun-incomplete"] is True
    assert {"mem_mb", "runtime"} <= set(slurm["default-resources"])
    local = yaml.safe_load((PROJECT / "profiles/local/config.yaml").read_text())
    assert local["cores"] == "all"
