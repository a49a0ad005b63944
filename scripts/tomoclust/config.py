"""Checks of the config that its schema cannot express: unique names, files that exist, k ranges, comparisons.

Run by rules/common.smk right after the schema validation, before any job.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

# Where models given by `url` are downloaded to (one file per URL, named as in the URL).
MODEL_DOWNLOAD_DIR = "resources/models"

# k per job when k_per_job is auto. A euclidean fit costs less than starting a process and importing the engine,
# so a job fits many k; a DTW fit costs more than that, but every process also compiles tslearn's DTW kernels
# (cached by numba, tomoclust.fit.cache_tslearn_kernels): two k per job. The costs behind these numbers:
# `python benchmarks/run_benchmark.py --components` (docs/performance.md).
K_PER_JOB_AUTO = {"euclidean": 12, "dtw": 2, "softdtw": 2}


def check_config(config: dict, demo_model_path: str) -> None:
    """Raise ValueError naming the key to fix; the schema has already filled in defaults."""
    names = [m["name"] for m in config["models"]]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"config: model names must be unique; duplicated in `models`: {duplicated}")
    for entry in config["models"]:
        if ("path" in entry) == ("url" in entry):
            raise ValueError(
                f"config: model '{entry['name']}' needs either `path` (a local file) or `url` (downloaded once into "
                f"{MODEL_DOWNLOAD_DIR}/), {'not both' if 'path' in entry else 'and has neither'}; fix "
                f"`models[name={entry['name']}]`"
            )
    model_downloads(config["models"])
    check_engine(config["fit"]["engine"], config["fit"]["metric"])
    for entry in config["models"]:
        if entry.get("variables") and entry.get("variable") not in (None, entry["variables"][0]):
            raise ValueError(
                f"config: model '{entry['name']}': `variable` '{entry['variable']}' and `variables` "
                f"{entry['variables']} are both given; the joint fit orders and colours its categories by the first "
                f"of `variables`, so drop `models[name={entry['name']}].variable` or put it first in `.variables`"
            )
        if entry.get("variables") and config["fit"]["metric"] != "euclidean":
            raise ValueError(
                f"config: model '{entry['name']}': a joint fit of `variables` is euclidean "
                f"(the joined profiles are not one depth series to warp); set `fit.metric: euclidean`, "
                f"or fit the variables one by one"
            )
        windows = entry.get("depth_windows")
        if windows and entry.get("depth") and windows["width"] > abs(entry["depth"][1] - entry["depth"][0]):
            raise ValueError(
                f"config: model '{entry['name']}': `depth_windows` of {windows['width']:g} km need a `depth` range at "
                f"least that deep to move through; fix `models[name={entry['name']}].depth` or `.depth_windows.width`"
            )
    for entry in config["models"]:
        if "url" in entry:
            continue
        path = Path(entry["path"])
        if str(entry["path"]) != demo_model_path and not path.is_file():
            where = "is a directory, not a file" if path.is_dir() else "not found"
            raise ValueError(
                f"config: model '{entry['name']}': file '{entry['path']}' {where} "
                f"(relative paths start at {Path.cwd()}); fix `models[name={entry['name']}].path`"
            )
    k_min, k_max = config["k"]["min"], config["k"]["max"]
    if k_min > k_max:
        raise ValueError(f"config: `k.min` ({k_min}) is larger than `k.max` ({k_max})")
    checked_k = [("maps.k", config["maps"]["k"]), ("figure_k", config["figure_k"])]
    if not isinstance(config["maps"]["pdf"], str):
        checked_k.append(("maps.pdf", config["maps"]["pdf"]))
    checked_k += [(f"compare[name={c['name']}].vote_k", c["vote_k"]) for c in config["compare"]]
    for key, value in checked_k:
        outside = [] if isinstance(value, str) else [k for k in value if not k_min <= k <= k_max]
        if outside:
            raise ValueError(f"config: `{key}` lists k = {outside}, outside k.min..k.max = {k_min}..{k_max}")
    _check_comparisons(config, names)
    _check_classifications(config, names)


ENGINES = ("tslearn", "sklearn")


def check_engine(engine: str, metric: str) -> None:
    """Refuse, before any fit, an engine that cannot fit the metric (ValueError naming the keys)."""
    if engine not in ENGINES:
        raise ValueError(f"config: `fit.engine` '{engine}' is not one of {ENGINES}")
    if engine == "sklearn" and metric != "euclidean":
        raise ValueError(
            f"config: `fit.engine: sklearn` fits euclidean k-means only, and `fit.metric` is '{metric}'; "
            f"set `fit.engine: tslearn` for {metric}, or `fit.metric: euclidean`"
        )


def _check_classifications(config: dict, names: list[str]) -> None:
    classifications = [c["name"] for c in config["classify"]]
    duplicated = sorted({n for n in classifications if classifications.count(n) > 1})
    if duplicated:
        raise ValueError(f"config: classification names must be unique; duplicated in `classify`: {duplicated}")
    k_min, k_max = config["k"]["min"], config["k"]["max"]
    for entry in config["classify"]:
        where = f"config: classification '{entry['name']}'"
        unknown = [m for m in [entry["reference"]["model"], *entry["targets"]] if m not in names]
        if unknown:
            raise ValueError(
                f"{where} names models {unknown} that are not in `models` (known: {sorted(names)}); "
                f"fix `classify[name={entry['name']}]`"
            )
        if "agreement" in entry["targets"]:
            raise ValueError(
                f"{where}: a target model named 'agreement' would draw its map on figures/agreement.png, the "
                f"agreement figure of the classification; rename the model in `models` and in "
                f"`classify[name={entry['name']}].targets`"
            )
        if not k_min <= entry["reference"]["k"] <= k_max:
            raise ValueError(
                f"{where}: `reference.k` = {entry['reference']['k']} is outside k.min..k.max = "
                f"{k_min}..{k_max} (the reference and the targets are fitted at that k)"
            )


def model_file(entry: dict) -> str:
    """The model file the extraction reads: ``path``, or where ``url`` is downloaded to."""
    if "url" not in entry:
        return str(entry["path"])
    return f"{MODEL_DOWNLOAD_DIR}/{unquote(PurePosixPath(urlparse(entry['url']).path).name)}"


def pipeline_entry(entry: dict) -> dict:
    """A model entry as the rules use it: ``path`` where the file is read (downloaded for ``url``), and ``variable``
    the first of ``variables`` when only those are given (the single-variable pipeline runs on it)."""
    resolved = {**entry, "path": model_file(entry)}
    if entry.get("variables") and not entry.get("variable"):
        resolved["variable"] = entry["variables"][0]
    return resolved


# The keys of a model entry that change profiles.nc: the fields of tomoclust.extract.ModelSpec (a test keeps the two
# the same). The extraction's params carry only these, so a new key that the extraction does not read (depth_windows,
# sha256, a classification or comparison naming the model) reruns no extraction and no fit.
EXTRACTION_KEYS = (
    "name",
    "path",
    "variable",
    "region",
    "depth",
    "dims",
    "transform",
    "depth_weighting",
    "depth_step",
    "area_weighting",
    "depth_units",
    "depth_positive",
    "variables",
)


def extraction_entry(entry: dict, *extra: str) -> dict:
    """The keys of a model entry (as pipeline_entry gives it) that change what is extracted, and the ``extra`` ones."""
    return {key: entry[key] for key in (*EXTRACTION_KEYS, *extra) if entry.get(key) is not None}


def model_downloads(models: list[dict]) -> dict[str, dict]:
    """{file in MODEL_DOWNLOAD_DIR: {url, sha256, models}} for the models given by ``url``; one download per file."""
    downloads: dict[str, dict] = {}
    for entry in models:
        if "url" not in entry:
            continue
        name = PurePosixPath(model_file(entry)).name
        known = downloads.setdefault(name, {"url": entry["url"], "sha256": entry.get("sha256"), "models": []})
        if (known["url"], known["sha256"]) != (entry["url"], entry.get("sha256")):
            raise ValueError(
                f"config: models {known['models'] + [entry['name']]} download different files to the same "
                f"{MODEL_DOWNLOAD_DIR}/{name} ({known['url']}, sha256 {known['sha256']} vs {entry['url']}, sha256 "
                f"{entry.get('sha256')}); give them the same `url` and `sha256`, or use `path` for one of them"
            )
        known["models"].append(entry["name"])
    return downloads


def _check_comparisons(config: dict, names: list[str]) -> None:
    if "compare" in names:
        raise ValueError(
            "config: a model may not be named 'compare' (results/compare/ holds the comparisons); rename it in `models`"
        )
    comparisons = [c["name"] for c in config["compare"]]
    duplicated = sorted({n for n in comparisons if comparisons.count(n) > 1})
    if duplicated:
        raise ValueError(f"config: comparison names must be unique; duplicated in `compare`: {duplicated}")
    models = {m["name"]: m for m in config["models"]}
    for comparison in config["compare"]:
        where = f"config: comparison '{comparison['name']}'"
        unknown = [m for m in comparison["models"] if m not in models]
        if unknown:
            raise ValueError(f"{where} lists models {unknown} that are not in `models` (known: {sorted(models)})")
        if len(set(comparison["models"])) < 2:
            raise ValueError(
                f"{where} needs at least two different models in `compare[name={comparison['name']}].models`"
            )
        ranges = {m: models[m].get("depth") for m in comparison["models"]}
        if len({None if r is None else tuple(sorted(r)) for r in ranges.values()}) > 1:
            raise ValueError(
                f"{where}: its models cluster different depth ranges {ranges}; a vote map compares one depth range, "
                f"so give them the same `depth` in `models`"
            )
        _check_comparison_windows(comparison, ranges, where)


def _check_comparison_windows(comparison: dict, ranges: dict, where: str) -> None:
    """The 3-D vote's keys of a comparison (`depth_windows`, `vote_depths`), against its models' common depth range."""
    key = f"compare[name={comparison['name']}]"
    windows, depths = comparison.get("depth_windows"), comparison.get("vote_depths", "auto")
    if not windows:
        if depths != "auto":
            raise ValueError(
                f"{where}: `vote_depths` maps the 3-D vote, which needs `{key}.depth_windows`; add "
                f"depth_windows or remove vote_depths"
            )
        return
    depth_range = next(iter(ranges.values()))
    if depth_range is None:
        raise ValueError(
            f"{where}: `depth_windows` move through the models' common depth range, and its models give "
            f"none; give them the same `depth` in `models` (the windows are then the same in every model)"
        )
    top, bottom = sorted(depth_range)
    if windows["width"] > bottom - top:
        raise ValueError(
            f"{where}: `depth_windows` of {windows['width']:g} km need a depth range at least that deep, "
            f"and its models' `depth` is {top:g}-{bottom:g} km; fix `{key}.depth_windows.width`"
        )
    outside = [d for d in ([] if depths == "auto" else depths) if not top <= d <= bottom]
    if outside:
        raise ValueError(
            f"{where}: `vote_depths` {outside} lie outside the models' depth range {top:g}-{bottom:g} km; "
            f"fix `{key}.vote_depths`"
        )


def check_k_counts(ks, n_fitted: int, n_total: int, model: str, where: str) -> None:
    """Refuse a k larger than the number of profiles the fit would use (ValueError naming `k.max`)."""
    too_large = [k for k in ks if k > n_fitted]
    if too_large:
        subset = "" if n_fitted == n_total else f" of the equal-area subset (of {n_total})"
        raise ValueError(
            f"model '{model}': k={max(too_large)} is more than the {n_fitted} complete profiles{subset} in {where}; "
            f"lower `k.max` to at most {n_fitted} (or widen the model's region/depth)"
        )


def check_chunk_counts(chunks: list[list[int]], n_fitted: int, model: str, where: str) -> None:
    """Refuse a last chunk of k (fitted whole) that the profiles cannot hold, although k.max itself fits."""
    if chunks[-1][-1] <= n_fitted:
        return
    fitting = [chunk[-1] for chunk in chunks if chunk[-1] <= n_fitted]
    raise ValueError(
        f"model '{model}': the last chunk of k, {chunks[-1][0]}..{chunks[-1][-1]} (k_per_job {len(chunks[0])}), "
        f"is fitted whole, and {where} has {n_fitted} profiles to fit; run with `--config k_per_job=1` "
        f"(every k its own job, exactly k.min..k.max)" + (f", or lower `k.max` to {fitting[-1]}" if fitting else "")
    )


def k_per_job(setting, metric: str) -> int:
    """How many k one fit (and figure) job takes: ``k_per_job``, or K_PER_JOB_AUTO of the metric for ``auto``."""
    return K_PER_JOB_AUTO[metric] if setting == "auto" else int(setting)


def k_chunks(k_min: int, k_max: int, size: int) -> list[list[int]]:
    """The k of each fit (and figure) job: k_min..k_min+size-1, the next size k, ... up to the chunk holding k_max.

    The chunks depend on k.min and ``size`` only, never on k.max, and the last one is whole: its fits and figures
    beyond k.max are made too (at most size - 1 extra k), so that a larger k.max adds whole new chunks and leaves every
    finished job alone. The tables, the knee and labels.nc stay k.min..k.max.
    """
    n_chunks = -(-(k_max - k_min + 1) // size)
    return [list(range(k_min + i * size, k_min + (i + 1) * size)) for i in range(n_chunks)]


def pdf_k_values(config: dict, map_k_values: list[int]) -> list[int]:
    """The k whose map and profile figures also get a vector PDF (``maps.pdf``)."""
    setting = config["maps"]["pdf"]
    if setting == "all":
        return list(map_k_values)
    if setting == "none":
        return []
    if setting == "figure_k":
        return [] if config["figure_k"] == "auto" else sorted(set(config["figure_k"]) & set(map_k_values))
    return sorted(set(setting) & set(map_k_values))
