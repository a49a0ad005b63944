"""The package's layout: computing apart from drawing, one name for "no profile", the computing jobs' imports.

Read with the standard library's ``ast``, every import counts, those inside functions too: a module that computes
(extract, fit, compare, ...) imports neither matplotlib nor cartopy nor a plotting module, so that its jobs load no
drawing code and its functions can be used where no plotting library is installed. Figures live in the plotting
modules named below, one per kind of figure.
"""

import ast
import sys
from pathlib import Path

import pytest

from conftest import PROJECT

PACKAGE = PROJECT / "scripts" / "tomoclust"
# The modules that draw (matplotlib, cartopy, bokeh); every other module of the package computes.
PLOTTING_MODULES = {
    "maps",
    "plotting",
    "profile_plots",
    "summary",
    "vote3d_plots",
    "explore_page",
    "compare_plots",
    "classify_plots",
    "windows_plots",
    "lineage_plots",
}
DRAWING_PACKAGES = {"matplotlib", "cartopy"}
# Rule scripts whose jobs only compute: they must not reach matplotlib or cartopy through any module they use.
COMPUTING_SCRIPTS = (
    "extract_profiles.py",
    "fit_kmeans.py",
    "gather_fits.py",
    "regrid_labels.py",
    "compare_models.py",
    "classify_model.py",
    "vote3d.py",
    "compare_depth_windows.py",
    "make_demo_model.py",
)


def modules() -> dict[str, Path]:
    return {path.stem: path for path in sorted(PACKAGE.glob("*.py")) if path.stem != "__init__"}


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, relative ones as tomoclust.<module>, wherever they stand."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.append((node.lineno, node.module or ""))
            elif node.module:  # from .maps import ...
                found.append((node.lineno, f"tomoclust.{node.module}"))
            else:  # from . import maps
                found += [(node.lineno, f"tomoclust.{alias.name}") for alias in node.names]
    return found


def drawing_imports(path: Path) -> list[str]:
    """The imports of a file that bring in drawing code: matplotlib, cartopy, or a plotting module of the package."""
    bad = []
    for line, module in imported(path):
        parts = module.split(".")
        if parts[0] in DRAWING_PACKAGES or (parts[0] == "tomoclust" and parts[1:2] and parts[1] in PLOTTING_MODULES):
            bad.append(f"{path.name}:{line} imports {module}")
    return bad


def test_the_plotting_modules_named_are_modules_of_the_package():
    assert PLOTTING_MODULES <= set(modules()), sorted(PLOTTING_MODULES - set(modules()))


def test_computing_modules_import_no_matplotlib_cartopy_or_plotting_module():
    computing = {name: path for name, path in modules().items() if name not in PLOTTING_MODULES}
    assert {
        "extract",
        "preprocess",
        "fit",
        "criteria",
        "gather",
        "grid",
        "lineage",
        "colors",
        "compare",
        "classify",
        "windows",
        "joint",
        "confidence",
        "vote3d",
        "explore",
        "envelopes",
        "io",
        "download",
    } <= set(computing)
    problems = [problem for path in computing.values() for problem in drawing_imports(path)]
    assert not problems, (
        "a computing module draws; move the drawing into a plotting module (tomoclust/*_plots.py) "
        "or, if the module only draws, name it in PLOTTING_MODULES:\n" + "\n".join(problems)
    )


def test_the_check_finds_a_drawing_import_inside_a_function(tmp_path):
    module = tmp_path / "computes.py"
    module.write_text(
        "import numpy as np\n\n\ndef figure():\n    from matplotlib import colormaps\n"
        "    from .maps import draw_category_map\n    import cartopy.crs as ccrs\n"
    )
    assert drawing_imports(module) == [
        "computes.py:5 imports matplotlib",
        "computes.py:6 imports tomoclust.maps",
        "computes.py:7 imports cartopy.crs",
    ]


def test_one_name_for_no_profile():
    """NO_PROFILE (tomoclust.grid) is the package's only module-level constant for the -1 of "no profile here"."""
    from tomoclust.grid import NO_PROFILE

    assert NO_PROFILE == -1
    sentinels = []
    for name, path in modules().items():
        for node in ast.parse(path.read_text()).body:
            value = getattr(node, "value", None)
            if (
                isinstance(node, ast.Assign)
                and isinstance(value, ast.UnaryOp)
                and isinstance(value.op, ast.USub)
                and getattr(value.operand, "value", None) == 1
            ):
                sentinels += [f"{name}.{target.id}" for target in node.targets if isinstance(target, ast.Name)]
    assert sentinels == ["grid.NO_PROFILE"]


@pytest.mark.parametrize("script", COMPUTING_SCRIPTS)
def test_a_computing_job_reaches_no_drawing_code(script):
    """What the job's script runs, followed through every tomoclust function it uses (tomoclust.codedeps)."""
    from tomoclust.codedeps import reached

    found = reached(PROJECT / "scripts" / script)
    drawing = {name: where for name, where in found.imports.items() if name in DRAWING_PACKAGES}
    assert not drawing, drawing
    assert not {f"tomoclust.{name}" for name in PLOTTING_MODULES} & set(found.modules)


def test_a_drawing_job_reaches_its_plotting_libraries():
    """The walk sees the drawing where it is: the map job imports matplotlib and cartopy through tomoclust.maps."""
    from tomoclust.codedeps import reached

    found = reached(PROJECT / "scripts" / "plot_maps.py")
    assert {"matplotlib", "cartopy"} <= set(found.imports) and "tomoclust.maps" in found.modules


def test_no_job_reaches_the_download():
    """Downloading runs in Snakemake's own process (the download_model rule's `run:`), never in a job's script."""
    from tomoclust.codedeps import module_files, reached

    for script in sorted((PROJECT / "scripts").glob("*.py")):
        assert "pooch" not in reached(script).imports, script.name
        assert PACKAGE / "download.py" not in module_files(script), script.name


def test_the_computing_modules_load_without_matplotlib():
    """Imported, the computing modules leave matplotlib and cartopy unloaded (a fresh interpreter)."""
    import subprocess

    names = sorted(name for name in modules() if name not in PLOTTING_MODULES)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import importlib\n"
        f"for name in {names!r}: importlib.import_module('tomoclust.' + name)\n"
        "print(sorted(m for m in ('matplotlib', 'cartopy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(PROJECT / "scripts")], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
