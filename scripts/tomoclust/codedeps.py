"""What a rule's script runs: the tomoclust modules it loads and the third-party packages it imports.

Standard library only: rules/common.smk calls it at parse time (each rule declares the tomoclust files its script
loads as inputs, so editing one reruns exactly the jobs that run it), and tests/test_envs.py checks with it that
every rule's conda env holds what its script imports.

The walk follows what runs, read with ``ast`` (imports inside functions count): the script's own code, then for each
tomoclust function or class it uses, that function's imports and the functions it uses in turn. A module's top-level
code runs once it is imported, its functions only when used, so a module imported for one function does not bring
in the lazy imports of the others (``tomoclust.fit`` imports tslearn only where that engine runs).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "tomoclust"
# Code that runs in Snakemake's own process, never in a rule's job: the download_model rule's `run:` block
# (tomoclust.download), and the by-hand entry point of the scripts (tomoclust.mock builds the job's `snakemake`
# object with Snakemake itself).
SNAKEMAKE_PROCESS_ONLY = {("tomoclust.download", "*"), ("tomoclust.mock", "*")}
BODY = "<module>"


@dataclass
class Reached:
    """What one script runs: ``modules`` {tomoclust module: file} loaded, ``imports`` {top-level name: where}."""

    modules: dict[str, Path] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    chunks: str = ""  # where `chunks=` is passed (xarray reads with dask), empty if nowhere


@dataclass
class _Unit:
    nodes: list
    imports: list = field(default_factory=list)  # (absolute module, [imported names]) or (module, None)
    names: set = field(default_factory=set)
    attributes: set = field(default_factory=set)  # (local name, attribute)
    chunks: bool = False


class _Module:
    def __init__(self, name: str, path: Path):
        self.name, self.path = name, path
        tree = ast.parse(path.read_text(), str(path))
        self.package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        body = [
            node for node in tree.body if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        self.units = {BODY: _Unit(body)}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.units[node.name] = _Unit([node])
        skipped = {function for module, function in SNAKEMAKE_PROCESS_ONLY if module == name}
        for unit_name, unit in self.units.items():
            if "*" in skipped or unit_name in skipped:
                unit.nodes = []
            for node in unit.nodes:
                self._read(node, unit)
        # Names bound at top level by an import: {name: (module, attribute or None for the module itself)}.
        self.bindings = {}
        for module, names in self.units[BODY].imports:
            if names is None:
                self.bindings[module.split(".")[0]] = (module.split(".")[0], None)
            else:
                for imported, alias in names:
                    self.bindings[alias] = (module, imported)

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = self.package.rsplit(".", node.level - 1)[0] if node.level > 1 else self.package
        return f"{base}.{node.module}" if node.module else base

    def _read(self, node, unit: _Unit) -> None:
        test = getattr(node, "test", None) if isinstance(node, ast.If) else None
        if isinstance(test, (ast.Name, ast.Attribute)) and "TYPE_CHECKING" in (
            getattr(test, "id", ""),
            getattr(test, "attr", ""),
        ):
            nodes = node.orelse  # imports for type annotations only
        else:
            nodes = list(ast.iter_child_nodes(node))
            if isinstance(node, ast.Import):
                unit.imports += [(alias.name, None) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                unit.imports.append((self._absolute(node), [(a.name, a.asname or a.name) for a in node.names]))
            elif isinstance(node, ast.Name):
                unit.names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                unit.attributes.add((node.value.id, node.attr))
            elif isinstance(node, ast.keyword) and node.arg == "chunks":
                unit.chunks = True
        for child in nodes:
            self._read(child, unit)


_PARSED: dict[tuple, _Module] = {}


def _parsed(name: str, path: Path) -> _Module:
    """A module read once per process (every rule's scripts load the same few)."""
    key = (name, path, path.stat().st_mtime_ns)
    if key not in _PARSED:
        _PARSED[key] = _Module(name, path)
    return _PARSED[key]


def _module_path(scripts_dir: Path, module: str) -> Path | None:
    parts = module.split(".")
    for candidate in (scripts_dir.joinpath(*parts).with_suffix(".py"), scripts_dir.joinpath(*parts, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def reached(script: str | Path) -> Reached:
    """What ``script`` (a file in scripts/, beside the tomoclust package) runs, walked from its own code."""
    script = Path(script).resolve()
    scripts_dir = script.parent
    result = Reached()
    modules: dict[str, _Module] = {"__main__": _parsed("__main__", script)}
    done: set[tuple[str, str]] = set()
    todo = [("__main__", unit) for unit in modules["__main__"].units]

    def load(module: str) -> _Module | None:
        """A tomoclust module (and its packages' __init__), its top-level code to be walked."""
        if module not in modules:
            path = _module_path(scripts_dir, module)
            if path is None:
                return None
            modules[module] = _parsed(module, path)
            result.modules[module] = path
            todo.append((module, BODY))
            if "." in module:
                load(module.rpartition(".")[0])
        return modules[module]

    def use(module: str, name: str | None) -> None:
        """``name`` of a tomoclust module used (None: the module as a whole)."""
        loaded = load(module)
        if loaded is None:  # `from tomoclust.x import y` with y a submodule
            return
        if name is None:
            todo.extend((module, unit) for unit in loaded.units)
        elif _module_path(scripts_dir, f"{module}.{name}"):
            load(f"{module}.{name}")  # `from tomoclust import io`: its functions are reached as io.<name>
        elif name in loaded.units:
            todo.append((module, name))
        elif name in loaded.bindings:
            use(*loaded.bindings[name])

    while todo:
        module_name, unit_name = todo.pop()
        if (module_name, unit_name) in done:
            continue
        done.add((module_name, unit_name))
        module = modules[module_name]
        unit = module.units[unit_name]
        where = f"{module.path.name}" + ("" if unit_name == BODY else f" ({unit_name})")
        if unit.chunks and not result.chunks:
            result.chunks = where
        local: dict[str, tuple[str, str | None]] = {}  # names bound by the unit's own imports
        for imported, names in unit.imports:
            top = imported.split(".")[0]
            if top == PACKAGE:
                load(imported)  # its top-level code runs; what of it is used is found by name below
                if names is not None:
                    local.update({alias: (imported, name) for name, alias in names})
                else:
                    for level in range(1, imported.count(".") + 2):
                        load(".".join(imported.split(".")[:level]))
            elif top and top != "__future__" and top not in sys.stdlib_module_names:
                result.imports.setdefault(top, where)
        bindings = {**module.bindings, **local} if unit_name != BODY else module.bindings
        for name in unit.names:
            if name in local or (name not in module.units and name in bindings):
                owner, attribute = bindings[name]
                if owner.split(".")[0] == PACKAGE and attribute is not None:
                    use(owner, attribute)
            elif name in module.units and name != unit_name:
                todo.append((module_name, name))
        for name, attribute in unit.attributes:
            owner, imported = bindings.get(name, ("", None))
            if owner.split(".")[0] == PACKAGE:
                submodule = owner if imported is None else f"{owner}.{imported}"
                if _module_path(scripts_dir, submodule):
                    use(submodule, attribute)
    return result


def module_files(script: str | Path) -> list[Path]:
    """The tomoclust source files ``script`` loads, sorted: the inputs that rerun its rule when edited.

    Not the modules whose code runs only in Snakemake's own process (tomoclust.download, tomoclust.mock).
    """
    by_hand = {module for module, function in SNAKEMAKE_PROCESS_ONLY if function == "*"}
    return sorted(path for module, path in reached(script).modules.items() if module not in by_hand)
