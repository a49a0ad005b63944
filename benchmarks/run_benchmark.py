"""Side-by-side benchmark: the notebook recipe against the Snakemake workflow.

    .venv/bin/python benchmarks/run_benchmark.py                 # SEMum + demo, cores 1 and 2, 3 repetitions
    .venv/bin/python benchmarks/run_benchmark.py --models demo --repeats 1 --k-max 10   # quick look

For each model and core count the runs alternate (the order rotates every
repetition) from a clean output folder: the notebook's serial loop (and its
dask.delayed variant), the workflow asked for the notebook's outputs only (the
elbow and a map per k), and the workflow asked for everything its config makes
(the command a user runs). After each full workflow run, k.max is raised by 5
and the rerun is timed: it must refit only the new k. Each run is measured for
wall time, CPU time (user+sys of the whole process tree, from wait4) and peak
memory (the tree's proportional set size, sampled every 50 ms). Medians go into
a Markdown table (OUT/latest.md, e.g. benchmarks/results/main) and the raw numbers into
latest.json; the per-rule times come from Snakemake's own benchmark files.
Needs ../shared/data/models for SEMum (skipped when absent).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared" / "data"
WORKFLOW_FILES = (
    "Snakefile",
    "config.yaml",
    "rules",
    "scripts",
    "schemas",
    "envs",
    "report",
    "profiles",
    "resources/basemap",
)


def _children(pid_map: dict[int, int], root: int) -> set[int]:
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in pid_map.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return tree


def _tree_memory(root: int) -> int:
    """Proportional set size (PSS) of the process tree, bytes.

    PSS splits pages shared between processes (libraries mapped by several
    jobs) instead of counting them once per process, as a sum of RSS would.
    """
    pid_map = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                pid_map[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    total = 0
    for pid in _children(pid_map, root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def measure(cmd: list[str], cwd: Path, env: dict) -> dict:
    """Run a command; wall time, CPU time of its whole tree, peak tree RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{stderr.decode()[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": peak / 1e6}


def model_sources(names: list[str], workdir: Path) -> dict[str, dict]:
    sources = {}
    for name in names:
        if name == "semum":
            path = SHARED / "models" / "SEMum_vs.nc"
            if not path.is_file():
                print(f"skipping semum: {path} not found", file=sys.stderr)
                continue
            sources["semum"] = {"path": str(path), "variable": "v"}
        elif name == "demo":
            sys.path.insert(0, str(PROJECT / "scripts"))
            from tomoclust.demo import make_demo_model

            path = workdir / "demo_model.nc"
            if not path.is_file():
                make_demo_model().to_netcdf(path)
            sources["demo"] = {"path": str(path), "variable": "dvs"}
    return sources


def _copy_workflow(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for item in WORKFLOW_FILES:
        src = PROJECT / item
        (
            shutil.copytree(src, dest / item, ignore=shutil.ignore_patterns("__pycache__"))
            if src.is_dir()
            else shutil.copy2(src, dest / item)
        )
    return dest


def prepare_workflow(
    root: Path, name: str, source: dict, k_min: int, k_max: int, metric: str = "euclidean"
) -> tuple[Path, list[str]]:
    """A copy of the workflow with the notebook's job as its config; returns it and the notebook's outputs as targets.

    ``engine_{tslearn,sklearn}.yaml`` beside it choose the engine.
    """
    workdir = _copy_workflow(root / f"workflow_{name}")
    for engine in ("tslearn", "sklearn"):
        (workdir / f"engine_{engine}.yaml").write_text(json.dumps({"fit": {"engine": engine}}))
    config = {
        "models": [{"name": name, **source}],
        "k": {"min": k_min, "max": k_max},
        "fit": {"metric": metric, "max_iter": 10, "n_init": 1, "random_state": 0},
        "maps": {"k": "all", "resolution": "110m", "overlays": []},  # the notebook's 110m coastline
        "stability": {"restarts": 0},  # the notebook has no restarts; criteria stay on
    }
    (workdir / "bench.yaml").write_text(json.dumps(config))
    targets = [f"results/{name}/figures/elbow.png"] + [
        f"results/{name}/figures/maps/k{k}.png" for k in range(k_min, k_max + 1)
    ]
    return workdir, targets


def clean(workdir: Path) -> None:
    for item in ("results", ".snakemake", "notebook_out"):
        shutil.rmtree(workdir / item, ignore_errors=True)


DTW_SPACING = 0.45  # degrees: the demo model at ~2,000 complete profiles
STAGE_OF_FOLDER = {"fit": "fit_kmeans", "maps": "plot_maps", "profiles": "plot_profiles"}


def rule_times(workdir: Path, name: str) -> dict[str, float]:
    """Sum of the wall times of each stage's jobs (Snakemake's benchmark files of the last run)."""
    return {rule: st["total_s"] for rule, st in sorted(_stage_table(workdir, name).items())}


def run_alternating(variants: dict, workdir: Path, env: dict, repeats: int, tag: str) -> dict:
    """Run every variant ``repeats`` times from a clean workdir, reversing the order every other repetition."""
    results = {key: [] for key in variants}
    for rep in range(repeats):
        for key in list(variants) if rep % 2 == 0 else list(variants)[::-1]:
            for item in ("results", ".snakemake"):
                shutil.rmtree(workdir / item, ignore_errors=True)
            results[key].append(measure(variants[key], workdir, env))
            print(f"{tag} {key} rep {rep + 1}: {results[key][-1]}", file=sys.stderr)
    return results


def stability_cost(root: Path, repeats: int, cores: int, out: Path, env: dict) -> str:
    """Issue 7's budget: the whole default demo run with the default criteria and stability, against restarts: 0."""
    workdir = _copy_workflow(root / "workflow_default")
    (workdir / "no_stability.yaml").write_text(json.dumps({"stability": {"restarts": 0}}))
    base = [sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet", "all"]
    variants = {
        "default (stability restarts 4)": base,
        "stability restarts 0": base + ["--configfile", "no_stability.yaml"],
    }
    results = run_alternating(variants, workdir, env, repeats, "default demo run,")
    med = {label: statistics.median(r["wall_s"] for r in runs) for label, runs in results.items()}
    ratio = med["default (stability restarts 4)"] / med["stability restarts 0"]
    text = (
        f"Whole default demo run (`snakemake --cores {cores}`, k = 2..20, every figure), medians of {repeats}: "
        + ", ".join(f"{label} {wall:.1f} s" for label, wall in med.items())
        + f"; restart stability costs {100 * (ratio - 1):+.0f} % wall time (the criteria are on in both).\n"
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "stability_cost.md").write_text(text)
    (out / "stability_cost.json").write_text(json.dumps(results, indent=1))
    return text


def _stage_table(workdir: Path, name: str) -> dict[str, dict[str, float]]:
    """Per rule: total wall seconds over its jobs, the longest job, and the largest max RSS (MB)."""
    stages: dict[str, dict[str, float]] = {}
    for tsv in (workdir / "results" / name / "benchmarks").rglob("*.tsv"):
        rule = tsv.parent.name if tsv.parent.name != "benchmarks" else tsv.stem
        rule = STAGE_OF_FOLDER.get(rule, rule)
        fields = dict(zip(*[line.split("\t") for line in tsv.read_text().splitlines()[:2]]))
        entry = stages.setdefault(rule, {"jobs": 0, "total_s": 0.0, "max_job_s": 0.0, "max_rss_mb": 0.0})
        entry["jobs"] += 1
        entry["total_s"] += float(fields["s"])
        entry["max_job_s"] = max(entry["max_job_s"], float(fields["s"]))
        rss = fields.get("max_rss", "NA")
        entry["max_rss_mb"] = max(entry["max_rss_mb"], float(rss) if rss not in ("NA", "-") else 0.0)
    return stages


def scale_runs(root: Path, out: Path, env: dict, cores: int, engine: str, repeats: int) -> str:
    """Every stage's time and peak memory at 10^4 .. 1.5 x 10^6 profiles (synthetic, 36 depths, k = 2..20,
    max_iter 10, everything the config makes), and the notebook recipe on the 10^6 profiles."""
    sys.path.insert(0, str(PROJECT / "scripts"))
    from tomoclust.demo import make_demo_model

    lines = [
        f"Scale: synthetic Western-US model, 36 depths, engine {engine}, k = 2..20, max_iter = 10, everything the "
        f"config makes, --cores {cores}; the 10^6 run alternated with the notebook recipe, medians of {repeats}, "
        f"the others one run each.\n",
        "| profiles | grid (lat x lon x depth) | model file (MB) | stage | jobs | wall, sum of jobs (s) "
        "| longest job (s) | peak RSS of a job (MB) | whole run wall (s) | whole run peak PSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    notebook_lines = []
    for n_target in (10_000, 100_000, 1_000_000, 1_500_000):
        workdir = _copy_workflow(root / f"scale_{n_target}")
        model = workdir / "model.nc"
        ds = make_demo_model(spacing=0.2 * (10_350 / n_target) ** 0.5, n_depth=36)
        n_profiles = int((ds["province"] >= 0).sum())
        grid = f"{ds.sizes['latitude']} x {ds.sizes['longitude']} x {ds.sizes['depth']}"
        ds.drop_vars("province").to_netcdf(model)
        del ds
        config = {
            "models": [{"name": "scale", "path": "model.nc", "variable": "dvs"}],
            "k": {"min": 2, "max": 20},
            "fit": {"max_iter": 10, "engine": engine},
            "maps": {"overlays": [], "resolution": "110m"},
        }
        (workdir / "scale.yaml").write_text(json.dumps(config))
        command = [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            str(cores),
            "--quiet",
            "all",
            "--configfile",
            "scale.yaml",
        ]
        variants = {"workflow": command}
        if n_target == 1_000_000:
            variants["notebook"] = [
                sys.executable,
                str(PROJECT / "benchmarks" / "notebook_recipe.py"),
                str(model),
                "dvs",
                str(workdir / "notebook_out"),
                "--k-min",
                "2",
                "--k-max",
                "20",
            ]
        runs = run_alternating(variants, workdir, env, repeats if n_target == 1_000_000 else 1, f"scale {n_target}")
        run = _medians(runs["workflow"])
        if "notebook" in runs:
            notebook = statistics.median(r["wall_s"] for r in runs["notebook"])
            notebook_lines.append(
                f"At {n_profiles:,} profiles: workflow (everything, {engine}) {run['wall_s']:.0f} s wall, "
                f"peak PSS {run['peak_rss_mb']:.0f} MB; notebook recipe {notebook:.0f} s; ratio "
                f"{run['wall_s'] / notebook:.2f}."
            )
            # The stage table below is the last run's. With an odd number of repetitions the last one ran the notebook
            # after the workflow, and run_alternating cleaned the workflow's results before it: run it once more.
            if repeats % 2 == 1:
                shutil.rmtree(workdir / "results", ignore_errors=True)
                measure(command, workdir, env)
        size_mb = model.stat().st_size / 1e6
        for i, (rule, st) in enumerate(sorted(_stage_table(workdir, "scale").items())):
            head = f"| {n_profiles:,} | {grid} | {size_mb:.0f} |" if i == 0 else "| | | |"
            tail = f" {run['wall_s']:.0f} | {run['peak_rss_mb']:.0f} |" if i == 0 else " | |"
            lines.append(
                f"{head} {rule} | {st['jobs']} | {st['total_s']:.1f} | {st['max_job_s']:.1f} "
                f"| {st['max_rss_mb']:.0f} |{tail}"
            )
        print("\n".join(lines[-3:]), file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)
    text = "\n".join(lines) + "\n\n" + "\n".join(notebook_lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.md").write_text(text)
    return text


def growth_runs(root: Path, out: Path, env: dict, cores: int, repeats: int, engines: list[str]) -> str:
    """The default config (demo, k = 2..20): the notebook recipe on its job, and per engine the whole run, then
    k.max raised to 25 (the time of that second run is what a user waits for a larger k.max)."""
    sys.path.insert(0, str(PROJECT / "scripts"))
    from tomoclust.demo import make_demo_model

    workdir = _copy_workflow(root / "workflow_growth")
    model = workdir / "demo_model.nc"
    make_demo_model().drop_vars("province").to_netcdf(model)
    (workdir / "bigger.yaml").write_text(json.dumps({"k": {"min": 2, "max": 25}}))
    python = sys.executable
    variants = {"notebook (serial loop), k = 2..20": _notebook_command(workdir, str(model), "dvs", 2, 20)}
    growth = {}
    for engine in engines:
        (workdir / f"engine_{engine}.yaml").write_text(json.dumps({"fit": {"engine": engine}}))
        options = ["--cores", str(cores), "--quiet", "all", "--configfile", "config.yaml", f"engine_{engine}.yaml"]
        variants[f"workflow {engine}, default config"] = [python, "-m", "snakemake", *options]
        growth[f"workflow {engine}, default config"] = [python, "-m", "snakemake", *options, "bigger.yaml"]
    results = {label: [] for label in [*variants, *(f"{label}, k.max 20 -> 25" for label in growth)]}
    labels = list(variants)
    for rep in range(repeats):
        for label in labels[rep % len(labels) :] + labels[: rep % len(labels)]:
            clean(workdir)
            results[label].append(measure(variants[label], workdir, env))
            print(f"growth rep={rep + 1} {label}: {results[label][-1]}", file=sys.stderr)
            if label in growth:
                results[f"{label}, k.max 20 -> 25"].append(measure(growth[label], workdir, env))
                print(
                    f"growth rep={rep + 1} {label} k.max 25: {results[f'{label}, k.max 20 -> 25'][-1]}", file=sys.stderr
                )
    baseline = statistics.median(r["wall_s"] for r in results[labels[0]])
    lines = [
        f"Default config (demo, k = 2..20, --cores {cores}), medians of {repeats}; ratio = wall / the notebook's:\n",
        "| variant | wall (s) | CPU (s) | peak PSS (MB) | ratio |",
        "|---|---|---|---|---|",
    ]
    for label, runs in results.items():
        med = _medians(runs)
        lines.append(
            f"| {label} | {med['wall_s']:.1f} | {med['cpu_s']:.1f} | {med['peak_rss_mb']:.0f} | "
            f"{med['wall_s'] / baseline:.2f} |"
        )
    text = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "growth.md").write_text(text)
    (out / "growth.json").write_text(json.dumps(results, indent=1))
    return text


def _medians(runs: list[dict]) -> dict[str, float]:
    """The median of each key over the runs (a key missing in a run, a stage that did not run, counts 0)."""
    return {key: statistics.median(run.get(key, 0.0) for run in runs) for key in runs[0]}


def _notebook_command(workdir: Path, model: str, variable: str, k_min: int, k_max: int) -> list[str]:
    return [
        sys.executable,
        str(PROJECT / "benchmarks" / "notebook_recipe.py"),
        model,
        variable,
        str(workdir / "notebook_out"),
        "--k-min",
        str(k_min),
        "--k-max",
        str(k_max),
    ]


def _copy_run(source: Path, dest: Path) -> None:
    """A run's results and Snakemake metadata copied, file times kept (so that nothing looks outdated there)."""
    for item in ("results", ".snakemake"):
        shutil.copytree(source / item, dest / item, copy_function=shutil.copy2, symlinks=True)


def floor_runs(root: Path, out: Path, env: dict, cores: int, repeats: int, engines: list[str]) -> str:
    """What any run costs before its per-k work, against the notebook's whole job: the fixed costs of the stage chain.

    SEMum (the notebook's job, k = 3..50): the workflow asked for the notebook's outputs of two k (k = 3, 4 in one
    chunk, ``k_per_job: 2``: the extraction, one fit job, the gathering, one map job, the choosing-k figures), then
    the same command with nothing left to do, then k.max 4 -> 5 (a new chunk: its fit job and map job, the gathering
    and the choosing-k figures again), and everything the config makes for two k. A run of k = 3..50 runs at least
    the same chain of jobs, each with at least as much to do (chunks of 12 k), so these are lower bounds of the runs
    of the goals. Two k, not one: with one k per job every map is also written as a PDF. The default config (demo,
    k = 2..20): after its whole run, nothing left to do, and k.max 20 -> 25 asking for the elbow only (the least a
    larger k.max reruns: the gathering and the figure that shows every k).
    """
    sys.path.insert(0, str(PROJECT / "scripts"))
    from tomoclust.demo import make_demo_model

    # Targets before the options: --quiet and --configfile take every word after them.
    snakemake = [sys.executable, "-m", "snakemake"]
    options = ["--cores", str(cores), "--quiet", "all"]
    rows = []
    raw: dict[str, dict] = {}
    sources = model_sources(["semum"], root)
    if sources:
        source = sources["semum"]
        workdir, _ = prepare_workflow(root, "semum", source, 3, 50)
        (workdir / "two_k.yaml").write_text(json.dumps({"k": {"min": 3, "max": 4}, "k_per_job": 2}))
        (workdir / "one_more_k.yaml").write_text(json.dumps({"k": {"min": 3, "max": 5}, "k_per_job": 2}))
        outputs = ["results/semum/figures/elbow.png"] + [f"results/semum/figures/maps/k{k}.png" for k in (3, 4)]
        notebook = _notebook_command(workdir, source["path"], source["variable"], 3, 50)
        sequences = {"notebook (serial loop), k = 3..50": [("notebook (serial loop), k = 3..50", notebook)]}
        for engine in engines:
            config = [*options, "--configfile", "bench.yaml", f"engine_{engine}.yaml"]
            sequences[f"{engine}, notebook's outputs"] = [
                (
                    f"workflow {engine}, notebook's outputs of k = 3, 4 only",
                    snakemake + outputs + config + ["two_k.yaml"],
                ),
                (f"workflow {engine}, the same command, nothing to do", snakemake + outputs + config + ["two_k.yaml"]),
                (
                    f"workflow {engine}, k.max 4 -> 5 (a new chunk's fit job and map job)",
                    snakemake + outputs + ["results/semum/figures/maps/k5.png"] + config + ["one_more_k.yaml"],
                ),
            ]
            sequences[f"{engine}, everything"] = [
                (f"workflow {engine}, everything the config makes, k = 3, 4 only", snakemake + config + ["two_k.yaml"])
            ]
        results: dict[str, list] = {label: [] for steps in sequences.values() for label, _ in steps}
        stages: dict[str, list] = {label: [] for label in results if "only" in label}
        names = list(sequences)
        for rep in range(repeats):
            for name in names[rep % len(names) :] + names[: rep % len(names)]:
                clean(workdir)
                for label, command in sequences[name]:
                    results[label].append(measure(command, workdir, env))
                    if label in stages:
                        stages[label].append(rule_times(workdir, "semum"))
                    print(f"floor semum rep={rep + 1} {label}: {results[label][-1]}", file=sys.stderr)
        rows += _floor_rows("SEMum", results, "notebook (serial loop), k = 3..50")
        raw["semum"] = {
            "runs": results,
            "workflow_stage_sum_s": {label: _medians(runs) for label, runs in stages.items()},
        }
    workdir = _copy_workflow(root / "workflow_floor_default")
    model = workdir / "demo_model.nc"
    make_demo_model().drop_vars("province").to_netcdf(model)
    (workdir / "bigger.yaml").write_text(json.dumps({"k": {"min": 2, "max": 25}}))
    subprocess.run(snakemake + options, cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL)
    snapshot = root / "floor_default_snapshot"
    _copy_run(workdir, snapshot)
    variants = {
        "notebook (serial loop), k = 2..20": _notebook_command(workdir, str(model), "dvs", 2, 20),
        "workflow, default config, nothing to do after its run": snakemake + options,
        "workflow, default config, k.max 20 -> 25, the elbow only": snakemake
        + ["results/demo/figures/elbow.png", *options, "--configfile", "config.yaml", "bigger.yaml"],
    }
    results = {label: [] for label in variants}
    labels = list(variants)
    for rep in range(repeats):
        for label in labels[rep % len(labels) :] + labels[: rep % len(labels)]:
            clean(workdir)
            _copy_run(snapshot, workdir)
            results[label].append(measure(variants[label], workdir, env))
            print(f"floor default rep={rep + 1} {label}: {results[label][-1]}", file=sys.stderr)
    rows += _floor_rows("default config", results, labels[0])
    raw["default"] = {"runs": results}
    lines = [
        f"The fixed costs of the stage chain, --cores {cores}, medians of {repeats} runs alternated with the "
        "notebook; ratio = wall time / the notebook's wall time on the whole job (SEMum k = 3..50, or the default "
        "config's k = 2..20):\n",
        "| job | variant | wall (s) | CPU (s) | peak PSS (MB) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {job} | {label} | {m['wall_s']:.1f} | {m['cpu_s']:.1f} | {m['peak_rss_mb']:.0f} | {ratio:.2f} |"
        for job, label, m, ratio in rows
    ]
    if "semum" in raw:
        lines.append("\nWall time of each stage's jobs, median over the runs (Snakemake benchmark files):\n")
        for label, times in raw["semum"]["workflow_stage_sum_s"].items():
            lines.append(f"- {label}: " + ", ".join(f"{rule} {s:.2f} s" for rule, s in times.items()))
    text = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "floor.md").write_text(text)
    (out / "floor.json").write_text(json.dumps(raw, indent=1))
    return text


def _floor_rows(job: str, results: dict[str, list], notebook: str) -> list[tuple]:
    baseline = statistics.median(r["wall_s"] for r in results[notebook])
    rows = []
    for label, runs in results.items():
        med = _medians(runs)
        rows.append((job, label, med, med["wall_s"] / baseline))
    return rows


def dtw_runs(root: Path, out: Path, env: dict, repeats: int) -> str:
    """A dtw sweep (k = 2..9, max_iter 10) on a ~2,000-profile demo model: the workflow at 1 and 2 cores (its
    notebook's outputs: fits, elbow, a map per k) against the notebook's serial loop, alternated."""
    sys.path.insert(0, str(PROJECT / "scripts"))
    from tomoclust.demo import make_demo_model

    model = make_demo_model(spacing=DTW_SPACING)
    n_profiles = int((model["province"] >= 0).sum())
    source = {"path": str(root / "dtw_model.nc"), "variable": "dvs"}
    model.drop_vars("province").to_netcdf(source["path"])
    workdir, targets = prepare_workflow(root, "dtw", source, 2, 9, metric="dtw")
    python = sys.executable
    variants = {
        "notebook (serial loop)": [
            python,
            str(PROJECT / "benchmarks" / "notebook_recipe.py"),
            source["path"],
            "dvs",
            str(workdir / "notebook_out"),
            "--k-min",
            "2",
            "--k-max",
            "9",
            "--metric",
            "dtw",
        ]
    }
    for cores in (1, 2):
        variants[f"workflow (--cores {cores})"] = [
            python,
            "-m",
            "snakemake",
            *targets,
            "--cores",
            str(cores),
            "--quiet",
            "all",
            "--configfile",
            "bench.yaml",
        ]
    results = run_alternating(variants, workdir, env, repeats, "dtw")
    med = {label: statistics.median(r["wall_s"] for r in runs) for label, runs in results.items()}
    cpu = {label: statistics.median(r["cpu_s"] for r in runs) for label, runs in results.items()}
    baseline = med["notebook (serial loop)"]
    lines = [
        f"DTW sweep, k = 2..9, max_iter = 10, {n_profiles} profiles x {model.sizes['depth']} depths, "
        f"fits + elbow + a map per k, medians of {repeats}:\n",
        "| variant | wall (s) | CPU (s) | speed-up over the notebook's serial loop |",
        "|---|---|---|---|",
    ]
    lines += [f"| {label} | {wall:.1f} | {cpu[label]:.1f} | {baseline / wall:.2f}x |" for label, wall in med.items()]
    text = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dtw.md").write_text(text)
    (out / "dtw.json").write_text(json.dumps(results, indent=1))
    return text


def component_times(out: Path, repeats: int) -> str:
    """The costs the README quotes for single pieces: imports and the DTW compile in a fresh process, a global map's
    mesh with and without clipping the polar cells, one fit and the per-k criteria. Medians of ``repeats``."""
    sys.path.insert(0, str(PROJECT / "scripts"))
    python = sys.executable

    def fresh_import(statement: str) -> float:
        code = (
            "import time, warnings; warnings.simplefilter('ignore'); t = time.perf_counter(); "
            f"{statement}; print(time.perf_counter() - t)"
        )
        return float(
            subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.split()[-1]
        )

    scripts = str(PROJECT / "scripts")
    dtw_first_fit = (
        "import sys, numpy as np; sys.path.insert(0, %r); from tomoclust.fit import fit_kmeans; "
        "t = time.perf_counter(); "
        "fit_kmeans(np.random.default_rng(0).normal(size=(30, 40)), np.arange(40.0), 2, metric='dtw', max_iter=2)"
    )
    rows = {
        "import tslearn.clustering (fresh process)": [
            fresh_import("import tslearn.clustering") for _ in range(repeats)
        ],
        "import cartopy.crs + matplotlib.pyplot (fresh process)": [
            fresh_import("import cartopy.crs, matplotlib.pyplot") for _ in range(repeats)
        ],
        "import kneed (fresh process)": [fresh_import("import kneed") for _ in range(repeats)],
        # The first DTW fit of a process: tslearn's numba kernels compiled, then (numba's cache switched on by
        # tomoclust.fit and filled by the first of these runs) loaded where numba can cache them.
        "first DTW fit of a fresh process, tiny data (compile; numba cache as tomoclust.fit leaves it)": [
            fresh_import(dtw_first_fit % scripts) for _ in range(repeats)
        ],
        "first DTW fit of a fresh process, tiny data, tslearn alone (no cache)": [
            fresh_import(
                "import numpy as np; from tslearn.clustering import TimeSeriesKMeans; t = time.perf_counter(); "
                "TimeSeriesKMeans(2, metric='dtw', max_iter=2, random_state=0)"
                ".fit(np.random.default_rng(0).normal(size=(30, 40, 1)))"
            )
            for _ in range(repeats)
        ],
    }
    semum = SHARED / "models" / "SEMum_vs.nc"
    if semum.is_file():
        import cartopy.crs as ccrs
        import numpy as np

        from tomoclust.criteria import silhouette_sample, validity_criteria
        from tomoclust.extract import ModelSpec, extract_model
        from tomoclust.fit import fit_kmeans
        from tomoclust.grid import labels_on_grid
        from tomoclust.plotting import plt
        from tomoclust.preprocess import cell_edges

        ds = extract_model(ModelSpec(name="semum", path=str(semum), variable="v"))
        X, depth = ds["profiles"].values, ds["depth"].values
        fit = fit_kmeans(X, depth, 20, max_iter=10)
        grid = np.ma.masked_less(labels_on_grid(ds, fit.labels), 0)
        lat, lon = ds["latitude"].values, ds["longitude"].values

        def mesh(clip: bool) -> float:
            fig = plt.figure()
            ax = fig.add_subplot(1, 1, 1, projection=ccrs.Robinson())
            lat_edges = np.clip(cell_edges(lat), -90, 90) if clip else cell_edges(lat)
            start = time.perf_counter()
            ax.pcolormesh(cell_edges(lon), lat_edges, grid, transform=ccrs.PlateCarree())
            elapsed = time.perf_counter() - start
            plt.close(fig)
            return elapsed

        sample = silhouette_sample(X, 3000, 0)  # once per fit job, shared by its k

        def criteria() -> float:
            start = time.perf_counter()
            validity_criteria(X, fit.labels, fit.centers, sample)
            return time.perf_counter() - start

        rows["SEMum global map: pcolormesh, cells past the poles (before)"] = [mesh(False) for _ in range(repeats)]
        rows["SEMum global map: pcolormesh, cells clipped at ±90° (now)"] = [mesh(True) for _ in range(repeats)]

        def one_fit() -> float:
            start = time.perf_counter()
            fit_kmeans(X, depth, 20, max_iter=10)
            return time.perf_counter() - start

        rows["per-k criteria, SEMum 16,380 profiles, k = 20"] = [criteria() for _ in range(repeats)]
        rows["one euclidean fit, SEMum 16,380 profiles, k = 20, max_iter 10"] = [one_fit() for _ in range(repeats)]
        for engine in ("tslearn", "sklearn"):

            def sweep() -> float:
                start = time.perf_counter()
                for k in range(3, 51):
                    fit_kmeans(X, depth, k, max_iter=10, engine=engine)
                return time.perf_counter() - start

            rows[f"48 fits k = 3..50, SEMum, max_iter 10, engine {engine} (one process, one thread)"] = [
                sweep() for _ in range(min(repeats, 3))
            ]
        rows.update(figure_costs(ds, "SEMum 16,380 profiles", repeats))
    big = synthetic_profiles(1_000_000)
    rows.update(fit_job_costs(big, f"synthetic {big.sizes['profile']:,} profiles", min(repeats, 3)))
    rows.update(figure_costs(big, f"synthetic {big.sizes['profile']:,} profiles", min(repeats, 3)))
    text = f"Component costs, medians of {repeats}:\n\n| piece | seconds |\n|---|---|\n" + "".join(
        f"| {name} | {statistics.median(values):.2f} |\n" for name, values in rows.items()
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "components.md").write_text(text)
    return text


def synthetic_profiles(n_profiles: int, n_depth: int = 36):
    """profiles.nc of the synthetic model at about ``n_profiles`` complete profiles (the scale runs' model)."""
    from tomoclust.demo import make_demo_model
    from tomoclust.extract import ModelSpec, extract_model

    spacing = 0.2 * (10_350 / n_profiles) ** 0.5
    path = Path(tempfile.mkdtemp(prefix="tomoclust-synthetic-")) / "model.nc"
    make_demo_model(spacing=spacing, n_depth=n_depth).drop_vars("province").to_netcdf(path)
    return extract_model(ModelSpec(name="synthetic", path=str(path), variable="dvs"))


def fit_job_costs(profiles_ds, label: str, repeats: int) -> dict[str, list[float]]:
    """What one k costs in a fit job once the job's shared inputs are made: the fit (scikit-learn, max_iter 10), its
    criteria, the default restart stability (4 restarts on 2,000 profiles) and the member envelopes (k = 10)."""
    from tomoclust.fit import fit_inputs, fit_profiles

    fit_params = {"engine": "sklearn", "metric": "euclidean", "max_iter": 10, "n_init": 1, "random_state": 0}
    fit_params.update({"metric_params": {}, "tol": None})
    criteria = {"silhouette_sample": 3000, "random_state": 0}
    stability = {"restarts": 4, "subsample": 2000, "random_state": 0}
    inputs = fit_inputs(profiles_ds, fit_params, criteria)
    fit_profiles(profiles_ds, 3, fit_params, criteria, {**stability, "restarts": 0}, inputs)  # the engine's imports
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fit_profiles(profiles_ds, 10, fit_params, criteria, stability, inputs)
        times.append(time.perf_counter() - start)
    return {f"{label}: one k of a fit job (k = 10: fit, criteria, 4 restarts, envelopes), engine sklearn": times}


def figure_costs(profiles_ds, label: str, repeats: int) -> dict[str, list[float]]:
    """What a figure costs once its job is set up: the canvas set-up, a category map and its confidence map
    redrawn on it, and a profile figure (k = 6 and 9, panels; k = 20, the overview), on a new figure and redrawn on
    a job's figure of its layout, PNG at the default 200 dpi."""
    import numpy as np

    from tomoclust.confidence import uncertain_on_grid
    from tomoclust.fit import fit_profiles
    from tomoclust.grid import labels_on_grid, on_grid
    from tomoclust.joint import variable_blocks
    from tomoclust.maps import CategoryMapCanvas, MapStyle, category_labels
    from tomoclust.plotting import plt, save_figure
    from tomoclust.profile_plots import ProfileFigures, plot_cluster_profiles, value_range_of

    fit_params = {
        "engine": "sklearn",
        "metric": "euclidean",
        "max_iter": 10,
        "n_init": 1,
        "random_state": 0,
        "metric_params": {},
        "tol": None,
    }
    criteria, stability = (
        {"silhouette_sample": 3000, "random_state": 0},
        {"restarts": 0, "subsample": 10, "random_state": 0},
    )
    fits = {k: fit_profiles(profiles_ds, k, fit_params, criteria, stability) for k in (6, 9, 20)}
    map_k = (6, 20)
    lat, lon = profiles_ds["latitude"].values, profiles_ds["longitude"].values
    thresholds = {"margin": 0.1, "coassignment": 0.75}
    out = Path(tempfile.mkdtemp(prefix="tomoclust-figures-"))
    rows: dict[str, list[float]] = {
        "set-up": [],
        "map": [],
        "confidence": [],
        "overview set-up": [],
        "profiles6": [],
        "profiles9 afresh": [],
        "profiles9": [],
        "profiles20 afresh": [],
        "profiles20": [],
    }
    values, blocks = profiles_ds["profiles"].values, variable_blocks(profiles_ds)
    panel_ranges = [value_range_of(block.values(values)) for block in blocks]
    # One set of figures for all repetitions, as a job keeps one per layout for its k: each is a redraw.
    job_figures = ProfileFigures(blocks)
    start = time.perf_counter()
    job_figures.overview()
    rows["overview set-up"].append(time.perf_counter() - start)

    def draw_profiles(k, figures):
        fit = fits[k]
        return plot_cluster_profiles(
            values,
            fit["labels"].values,
            fit["centers"].values,
            blocks,
            k,
            f"k = {k}",
            member_std=fit["member_std"].values,
            member_quantiles=fit["member_quantiles"].values,
            value_ranges=panel_ranges,
            figures=figures,
        )

    warm_up = draw_profiles(9, job_figures)  # k = 9's layout on the job's figures, drawn and saved before the timings
    save_figure(warm_up, out / "profiles9.png", close=False, bbox_inches=None)
    for _ in range(repeats):
        gc.collect()  # the last repetition's figures collected before these timings, not during them
        start = time.perf_counter()
        canvas = CategoryMapCanvas(lat, lon, MapStyle(overlays=["us_states"]))
        rows["set-up"].append(time.perf_counter() - start)
        for k in map_k:
            fit = fits[k]
            labels2d, uncertain = (
                labels_on_grid(profiles_ds, fit["labels"].values),
                uncertain_on_grid(profiles_ds, fit, thresholds),
            )
            start = time.perf_counter()
            canvas.draw(
                labels2d,
                k,
                plt.get_cmap("RdYlBu")(np.linspace(0, 1, k)),
                category_labels(fit["center_depth_mean"].values, fit["cluster_area_percent"].values, "%"),
                title=f"k = {k}\nsecond line\nthird line",
                uncertain=uncertain,
            )
            canvas.save(out / f"map{k}.png")
            rows["map"].append(time.perf_counter() - start)
            start = time.perf_counter()
            canvas.draw_values(on_grid(profiles_ds, fit["margin"].values, np.nan), f"k = {k}\nmargin", "margin")
            canvas.mark(uncertain, color="white")
            canvas.save(out / f"confidence{k}.png")
            rows["confidence"].append(time.perf_counter() - start)
        canvas.close()
        gc.collect()  # the canvas's garbage collected before the next timings, not during them
        # The profile figures after the maps, as they run in jobs of their own.
        for k in fits:
            # k = 6 takes a layout of its own in a job (one row of six); k = 9 shares 7..12's; k = 20 the overview.
            on_figures = (
                {f"profiles{k}": None} if k == 6 else {f"profiles{k} afresh": None, f"profiles{k}": job_figures}
            )
            for row, on_figure in on_figures.items():
                start = time.perf_counter()
                figure = draw_profiles(k, on_figure)
                save_figure(figure, out / f"profiles{k}.png", close=on_figure is None, bbox_inches=None)
                rows[row].append(time.perf_counter() - start)
    job_figures.close()
    shutil.rmtree(out, ignore_errors=True)
    names = {
        "set-up": "map canvas set-up (projection, basemap, layout; once per job)",
        "map": "category map redrawn on the canvas, PNG 200 dpi (k = 6 and 20)",
        "confidence": "confidence map redrawn on the same canvas, PNG 200 dpi (k = 6 and 20)",
        "profiles6": "profile figure, k = 6 (a panel per category), PNG 200 dpi",
        "profiles9 afresh": "profile figure, k = 9 (a panel per category), on a new figure, PNG 200 dpi",
        "profiles9": "profile figure, k = 9, redrawn on a job's figure of its layout (k = 7..12), PNG 200 dpi",
        "overview set-up": "profile overview figure set-up (axes, colour bars, layout; once per job)",
        "profiles20 afresh": "profile figure, k = 20 (the overview), on a new figure, PNG 200 dpi",
        "profiles20": "profile figure, k = 20 (the overview), redrawn on a job's overview figure, PNG 200 dpi",
    }
    return {f"{label}: {names[key]}": times for key, times in rows.items()}


def compare_with_notebook(args, root: Path, env: dict) -> tuple[list, dict]:
    """The notebook's job, alternated with the workflow on the notebook's outputs and on everything; then k.max + 5."""
    python = sys.executable
    rows, raw = [], {}
    for name, source in model_sources(args.models, root).items():
        workdir, targets = prepare_workflow(root, name, source, args.k_min, args.k_max)
        notebook = _notebook_command(workdir, source["path"], source["variable"], args.k_min, args.k_max)
        bigger = json.dumps({"k": {"min": args.k_min, "max": args.k_max + 5}})
        (workdir / "bigger.yaml").write_text(bigger)
        for cores in args.cores:
            snakemake = [python, "-m", "snakemake"]
            variants, growth = {"notebook (serial loop)": notebook}, {}
            for engine in args.engines:
                options = [
                    "--cores",
                    str(cores),
                    "--quiet",
                    "all",
                    "--configfile",
                    "bench.yaml",
                    f"engine_{engine}.yaml",
                ]
                variants[f"workflow {engine}, notebook's outputs (--cores {cores})"] = snakemake + targets + options
                everything = f"workflow {engine}, everything (--cores {cores})"
                variants[everything] = snakemake + options
                growth[everything] = (
                    f"workflow {engine}, k.max {args.k_max} -> {args.k_max + 5} after everything (--cores {cores})",
                    snakemake + options + ["bigger.yaml"],
                )
            if not args.no_dask:
                variants[f"notebook (dask.delayed, {cores} workers)"] = notebook + ["--dask", str(cores)]
            results = {label: [] for label in [*variants, *(label for label, _ in growth.values())]}
            stages = {label: [] for label in variants if label.startswith("workflow")}
            labels = list(variants)
            for rep in range(args.repeats):
                for label in labels[rep % len(labels) :] + labels[: rep % len(labels)]:
                    clean(workdir)
                    results[label].append(measure(variants[label], workdir, env))
                    if label in stages:
                        stages[label].append(rule_times(workdir, name))
                    print(f"{name} cores={cores} rep={rep + 1} {label}: {results[label][-1]}", file=sys.stderr)
                    if label in growth:
                        raise_label, command = growth[label]
                        results[raise_label].append(measure(command, workdir, env))
                        print(
                            f"{name} cores={cores} rep={rep + 1} {raise_label}: {results[raise_label][-1]}",
                            file=sys.stderr,
                        )
            baseline = statistics.median(r["wall_s"] for r in results["notebook (serial loop)"])
            for label, runs in results.items():
                med = _medians(runs)
                rows.append((name, cores, label, med, med["wall_s"] / baseline))
            raw[f"{name}/cores{cores}"] = {
                "runs": results,
                "workflow_stage_sum_s": {label: _medians(runs) for label, runs in stages.items()},
            }
    return rows, raw


EXPLORE_LOAD = """
const [k, done] = [arguments[0], arguments[arguments.length - 1]];
const painted = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
const status = () => Bokeh.documents[0].get_model_by_name("status");
const ready = async () => {
  while (!(window.Bokeh && Bokeh.documents.length && status().text.length)) await new Promise((r) => setTimeout(r, 5));
};
(async () => {
  await ready();
  await painted();
  const first = performance.now();
  Bokeh.documents[0].get_model_by_name("k_slider").value = k;
  while (!status().text.includes(`k = ${k}</b>`)) await new Promise((r) => setTimeout(r, 5));
  await painted();
  done([first, performance.now()]);
})();
"""


def explore_load(root: Path, out: Path, env: dict, repeats: int, k_min: int, k_max: int) -> str:
    """Issue 24's goal: the SEMum page (k = k_min..k_max) opened in headless Chromium with the network off, the slider
    moved to k_max as soon as the first k is drawn. Times from the start of navigation (performance.now()), a fresh
    browser per repetition."""
    sys.path.insert(0, str(PROJECT / "tests"))
    from browser import chromium_unavailable_reason, new_chromium

    reason = chromium_unavailable_reason()
    sources = model_sources(["semum"], root)
    if reason or not sources:
        return f"explore load not measured: {reason or 'SEMum not found'}"
    workdir, _ = prepare_workflow(root, "semum", sources["semum"], k_min, k_max)
    page = workdir / "results" / "semum" / "explore.html"
    subprocess.run(
        # The target first: --configfile takes every word after it.
        [sys.executable, "-m", "snakemake", "results/semum/explore.html", "--cores", "2", "--configfile", "bench.yaml"],
        cwd=workdir,
        env=env,
        check=True,
    )
    runs = []
    for rep in range(repeats):
        driver = new_chromium(offline=True)
        try:
            driver.set_script_timeout(120)
            driver.get(page.resolve().as_uri())
            first, last = driver.execute_async_script(EXPLORE_LOAD, k_max)
        finally:
            driver.quit()
        runs.append({"first_k_s": first / 1000, "k_max_s": last / 1000, "move_s": (last - first) / 1000})
        print(f"explore rep {rep + 1}: {runs[-1]}", file=sys.stderr)
    median = _medians(runs)
    size_mb = page.stat().st_size / 1e6
    text = (
        f"SEMum explore page ({size_mb:.1f} MB, k = {k_min}..{k_max}), headless Chromium, network off, "
        f"a fresh browser per run, medians of {repeats} (min-max); seconds from the start of navigation:\n\n"
        "| first k drawn | k = "
        + str(k_max)
        + " drawn | the move itself |\n|---|---|---|\n"
        + "| "
        + " | ".join(
            f"{median[key]:.2f} ({min(r[key] for r in runs):.2f}-{max(r[key] for r in runs):.2f})"
            for key in ("first_k_s", "k_max_s", "move_s")
        )
        + " |\n"
    )
    target = out / "explore"
    target.mkdir(parents=True, exist_ok=True)
    (target / "explore_load.md").write_text(text)
    (target / "explore_load.json").write_text(json.dumps(runs, indent=1))
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=["semum", "demo"])
    parser.add_argument("--cores", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--k-min", type=int, default=3)
    parser.add_argument("--k-max", type=int, default=50)
    parser.add_argument("--no-dask", action="store_true", help="leave out the dask.delayed notebook variant")
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["tslearn", "sklearn"],
        choices=["tslearn", "sklearn"],
        help="the workflow's fit.engine in its variants",
    )
    parser.add_argument("--out", type=Path, default=PROJECT / "benchmarks" / "results")
    parser.add_argument(
        "--stability-cost",
        action="store_true",
        help="instead: the whole default demo run with and without restart stability (issue 7's budget)",
    )
    parser.add_argument(
        "--scale", action="store_true", help="instead: every stage's time and memory for ~1e4, 1e5, 1e6 profiles"
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="instead: the default config's run and k.max 20 -> 25 after it, against the notebook",
    )
    parser.add_argument(
        "--components", action="store_true", help="instead: import, map-mesh and criteria costs of single pieces"
    )
    parser.add_argument(
        "--dtw",
        action="store_true",
        help="instead: a dtw sweep, workflow at 1 and 2 cores against the notebook's serial loop",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="instead: the fixed costs of the stage chain (a single k, nothing to do, one more k) against the "
        "notebook's whole job",
    )
    parser.add_argument(
        "--explore",
        action="store_true",
        help="instead: how fast the SEMum explore page opens and reaches k.max in headless Chromium",
    )
    args = parser.parse_args()

    env = {**os.environ, "CARTOPY_DATA_DIR": str(PROJECT / "resources" / "basemap"), "MPLBACKEND": "Agg"}
    root = Path(tempfile.mkdtemp(prefix="tomoclust-bench-"))
    if args.explore:
        print(explore_load(root, args.out, env, max(args.repeats, 5), args.k_min, args.k_max))
        shutil.rmtree(root, ignore_errors=True)
        return 0
    if args.components:
        print(component_times(args.out, max(args.repeats, 5)))
        return 0
    if args.growth:
        print(growth_runs(root, args.out, env, max(args.cores), args.repeats, args.engines))
        shutil.rmtree(root, ignore_errors=True)
        return 0
    if args.floor:
        print(floor_runs(root, args.out, env, max(args.cores), args.repeats, args.engines))
        shutil.rmtree(root, ignore_errors=True)
        return 0
    if args.scale:
        print(scale_runs(root, args.out, env, max(args.cores), args.engines[-1], args.repeats))
        shutil.rmtree(root, ignore_errors=True)
        return 0
    if args.dtw:
        print(dtw_runs(root, args.out, env, args.repeats))
        shutil.rmtree(root, ignore_errors=True)
        return 0
    if args.stability_cost:
        print(stability_cost(root, args.repeats, max(args.cores), args.out, env))
        shutil.rmtree(root, ignore_errors=True)
        return 0
    rows, raw = compare_with_notebook(args, root, env)
    args.out.mkdir(parents=True, exist_ok=True)
    header = (
        f"k = {args.k_min}..{args.k_max}, euclidean, max_iter = 10, stability restarts off; "
        f"medians of {args.repeats} runs; "
        f"ratio = wall time / notebook serial loop's wall time on the same model and core count. "
        f"Machine: {os.cpu_count()} cores.\n\n"
        "| model | cores | variant | wall (s) | CPU (s) | peak memory, PSS (MB) | wall ratio |\n"
        "|---|---|---|---|---|---|---|\n"
    )
    table = header + "".join(
        f"| {name} | {cores} | {label} | {m['wall_s']:.1f} | {m['cpu_s']:.1f} "
        f"| {m['peak_rss_mb']:.0f} | {ratio:.2f} |\n"
        for name, cores, label, m, ratio in rows
    )
    table += "\nWall time summed over each stage's jobs, median over the runs (Snakemake benchmark files):\n"
    for key, value in raw.items():
        for label, times in value["workflow_stage_sum_s"].items():
            table += f"\n- {key}, {label}: " + ", ".join(f"{rule} {s:.1f} s" for rule, s in times.items())
    (args.out / "latest.md").write_text(table + "\n")
    (args.out / "latest.json").write_text(json.dumps(raw, indent=1))
    print(table)
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
