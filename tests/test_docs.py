"""The README and the docs/ pages: short README, generated configuration reference in sync, a site that builds."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
README = PROJECT / "README.md"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_config_reference", PROJECT / "docs" / "gen_config_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = load_generator()


def test_the_configuration_reference_is_the_schema():
    page = gen.PAGE.read_text(encoding="utf-8")
    expected = gen.render(gen.load_schema())
    assert page == expected, f"docs/config-reference.md and schemas/config.schema.yaml disagree: run {gen.COMMAND}"


def test_the_reference_names_every_key_of_the_schema():
    page = gen.PAGE.read_text(encoding="utf-8")
    schema = gen.load_schema()
    for name, node in schema["properties"].items():
        for path, _, _ in gen.walk(node, name, schema):
            assert f"| {gen.cell(gen.code_span(path))} |" in page, path


def test_the_generator_handles_the_shapes_a_schema_key_may_take():
    schema = {
        "description": "Top.",
        "$defs": {"window": {"type": "object", "properties": {"width": {"type": "number", "description": "km"}}}},
        "required": ["fit"],
        "properties": {
            "fit": {
                "type": "object",
                "description": "Fits | with a pipe.",
                "default": {},
                "properties": {
                    "engine": {"type": "string", "enum": ["tslearn", "sklearn"], "default": "tslearn"},
                    "tol": {"type": ["number", "null"], "minimum": 0, "default": None, "description": "<none>"},
                },
            },
            "compare": {
                "type": "array",
                "default": [],
                "items": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "depth_windows": {"$ref": "#/$defs/window"},
                    },
                },
            },
            "explore": {
                "default": False,
                "oneOf": [
                    {"type": "boolean"},
                    {"type": "object", "properties": {"k": {"type": "array", "items": {"type": "integer"}}}},
                ],
            },
            "colors": {"type": "object", "additionalProperties": {"type": "string", "description": "hex"}},
        },
    }
    page = gen.render(schema)
    for expected in (
        "## `fit`",
        "| `fit` | mapping, required | – | Fits \\| with a pipe. |",
        "| `fit.engine` | one of `tslearn`, `sklearn` | `tslearn` | – |",
        "| `fit.tol` | number ≥ 0 or null | `null` | &lt;none> |",
        "| `compare[].name` | string, required | – | – |",
        "| `compare[].depth_windows.width` | number | – | km |",
        "| `explore` | boolean or mapping | `false` | – |",
        "| `explore.k` | list of integer | – | – |",
        "| `colors.<name>` | string | – | hex |",
    ):
        assert expected in page, expected
    missing = gen.missing_descriptions(schema)
    assert {"fit.engine", "compare[].name", "explore.k"} <= set(missing) and "fit.tol" not in missing


def test_the_site_builds_strictly(tmp_path):
    """A broken link, a missing image or anchor, or a page left out of the nav fails the build."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "config-reference" / "index.html").is_file()
    assert not list((tmp_path / "site").rglob("*.py")), "scripts in docs/ must stay out of the site"


def test_the_readme_is_short_and_keeps_the_ci_test_command():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 220, f"README.md has {len(lines)} lines: move detail to docs/"
    marker = lines.index("<!-- test-command -->")
    assert lines[marker + 1] == "```bash"
    # The whole suite: no -m or -k that would leave tests out.
    command = lines[marker + 2]
    assert ".venv/bin/python -m pytest" in command and " -m " not in command.split("pytest", 1)[1]
    assert " -k " not in command
    assert lines[marker + 3] == "```"


def slug(heading: str) -> str:
    from markdown.extensions.toc import slugify

    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return slugify(text, "-")


def anchors_of(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {slug(match) for match in re.findall(r"^#+\s+(.*?)\s*$", text, flags=re.M)}


@pytest.mark.parametrize("document", ["README.md", "CONTRIBUTING.md"])
def test_links_of_the_repository_documents_resolve(document):
    """README.md and CONTRIBUTING.md sit outside the site: their relative links and anchors are checked here."""
    source = PROJECT / document
    text = re.sub(r"```.*?```", "", source.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (source.parent / path) if path else source
        assert file.exists(), f"{document} links to {target}, which does not exist"
        if anchor and file.suffix == ".md":
            assert anchor in anchors_of(file), f"{document} links to {target}: no such heading in {path or document}"
