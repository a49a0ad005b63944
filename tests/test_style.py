"""One style, checked: the rule files as snakefmt formats them, the Python code as ruff checks and formats it."""

import subprocess
import sys

import pytest

from conftest import PROJECT


@pytest.mark.parametrize(
    "check",
    [["snakefmt", "--check", "Snakefile", "rules"], ["ruff", "check", "."], ["ruff", "format", "--check", "."]],
    ids=["snakefmt", "ruff check", "ruff format"],
)
def test_the_code_is_formatted_and_linted(check):
    result = subprocess.run([sys.executable, "-m", *check], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
