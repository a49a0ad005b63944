"""The offline explore pages (rules/explore.smk) in headless Chromium with the network off: the demo's page of one
model and a comparison's page, made by the workflow on a small config (k = 2..8)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from conftest import copy_workflow, snakemake

pytestmark = pytest.mark.workflow  # the two page tests are marked browser too

REGION = {"lat": [37, 45], "lon": [-120, -106]}
MODEL_PAGE = "results/small/explore.html"
COMPARISON_PAGE = "results/compare/pair/explore.html"
NETWORK_SCHEMES = ("http:", "https:", "ws:", "wss:", "ftp:")


@pytest.fixture(scope="module")
def explore_run(tmp_path_factory):
    """Two cuts of the demo model, k = 2..8 without restarts, and their comparison: only the explore pages."""
    workdir = copy_workflow(tmp_path_factory.mktemp("explore"))
    entry = {"path": "resources/demo/wus_synthetic.nc", "variable": "dvs", "depth": [20, 600]}
    config = {
        "models": [
            {"name": "small", **entry, "region": REGION},
            {"name": "small_west", **entry, "region": {"lat": [37, 45], "lon": [-120, -111]}},
        ],
        "k": {"min": 2, "max": 8},
        "stability": {"restarts": 0},
        "compare": [{"name": "pair", "models": ["small", "small_west"], "vote_k": [2]}],
    }
    (workdir / "explore.yaml").write_text(yaml.safe_dump(config))
    # one fit job per model for k = 2..8 (k_per_job), so the fixture runs a dozen small jobs
    snakemake(workdir, MODEL_PAGE, COMPARISON_PAGE, "--configfile", "explore.yaml", "--config", "k_per_job=7")
    return workdir


@pytest.fixture(scope="module")
def browser():
    from browser import chromium_unavailable_reason, new_chromium

    reason = chromium_unavailable_reason()
    if reason:
        pytest.skip(reason)
    driver = new_chromium(offline=True, performance_log=True)
    yield driver
    driver.quit()


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError("the page did not show what was expected in time")


MODEL = "const doc = Bokeh.documents[0]; const model = (name) => doc.get_model_by_name(name);\n"


def open_page(driver, page: Path) -> dict:
    """Open the page, wait until its status line is drawn; the console messages and the URLs it requested."""
    driver.get_log("browser"), driver.get_log("performance")  # forget earlier pages
    driver.get(page.resolve().as_uri())
    wait_for(
        lambda: driver.execute_script(
            "return window.Bokeh !== undefined && Bokeh.documents.length > 0 && "
            "Bokeh.documents[0].get_model_by_name('status').text.length > 0"
        )
    )
    time.sleep(0.5)
    console = driver.get_log("browser")
    events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    urls = [event["params"]["request"]["url"] for event in events if event["method"] == "Network.requestWillBeSent"]
    return {"console": console, "urls": urls}


def assert_offline(opened: dict, page: Path) -> None:
    errors = [entry for entry in opened["console"] if entry["level"] == "SEVERE"]
    assert not errors, f"console errors: {errors}"
    leaving = [url for url in opened["urls"] if url.startswith(NETWORK_SCHEMES)]
    assert not leaving, f"requests leaving the file: {leaving}"
    files = {url for url in opened["urls"] if url.startswith("file:")}
    assert files == {page.resolve().as_uri()}, f"the page loaded other files: {files}"


def set_k(driver, k: int) -> None:
    driver.execute_script(MODEL + f"model('k_slider').value = {k};")
    wait_for(lambda: f"k = {k}</b>" in driver.execute_script(MODEL + "return model('status').text;"))
    time.sleep(0.3)  # the canvas repaints on the next animation frame


def canvas_colors(driver, figure: str, colors: list[str], tolerance: int = 2) -> dict[str, int]:
    """Pixels of the figure's frame (read back from its canvas) of each of ``colours`` (hex), within ``tolerance``."""
    return driver.execute_script(
        MODEL
        + """
        const view = Bokeh.index.get_one(model(arguments[0])), box = view.frame.bbox;
        const pixels = view.export("png", false).ctx.getImageData(box.left, box.top, box.width, box.height).data;
        const rgb = arguments[1].map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
        const counts = Object.fromEntries(arguments[1].map((h) => [h, 0]));
        for (let p = 0; p < pixels.length; p += 4) {
          rgb.forEach((c, j) => {
            if (Math.abs(pixels[p] - c[0]) <= arguments[2] && Math.abs(pixels[p + 1] - c[1]) <= arguments[2]
                && Math.abs(pixels[p + 2] - c[2]) <= arguments[2]) counts[arguments[1][j]] += 1;
          });
        }
        return counts;""",
        figure,
        colors,
        tolerance,
    )


def screen_position(driver, figure: str, x: float, y: float) -> tuple[float, float]:
    """Where the data point (x, y) of a figure is on the page (CSS pixels of the viewport)."""
    return tuple(
        driver.execute_script(
            MODEL
            + """
        const view = Bokeh.index.get_one(model(arguments[0])), frame = view.frame;
        const canvas = view.canvas_view.el.getBoundingClientRect();
        return [canvas.left + frame.x_scale.compute(arguments[1]), canvas.top + frame.y_scale.compute(arguments[2])];
        """,
            figure,
            x,
            y,
        )
    )


def move_mouse(driver, position, click: bool = False) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionChains(driver)
    builder = ActionBuilder(driver)
    builder.pointer_action.move_to_location(int(round(position[0])), int(round(position[1])))
    if click:
        builder.pointer_action.click()
    builder.perform()
    actions.reset_actions()


def colors_shown(counts: dict[str, int], minimum: int = 30) -> int:
    return sum(1 for n in counts.values() if n >= minimum)


@pytest.mark.browser
def test_model_page_offline_slider_map_hover_knee(explore_run, browser, tmp_path):
    workdir = explore_run
    page = workdir / MODEL_PAGE
    selection = json.loads((workdir / "results/small/k_selection.json").read_text())
    categories = pd.read_csv(workdir / "results/small/categories.csv")
    assert page.stat().st_size < 15e6
    opened = open_page(browser, page)
    assert_offline(opened, page)

    # the elbow marks the knee
    knee = selection["knee"]
    assert knee is not None
    marker_k = browser.execute_script(MODEL + "return model('knee_marker').data_source.data.x[0];")
    assert marker_k == knee
    assert f"Knee of the elbow: <b>k = {knee}</b>" in browser.execute_script(MODEL + "return model('header').text;")

    # the slider at k = 6: the map's canvas holds the 6 category colours of categories.csv
    set_k(browser, 6)
    colors = categories.loc[categories["k"] == 6].sort_values("category")["color"].tolist()
    counts = canvas_colors(browser, "map", colors)
    assert colors_shown(counts) == 6, counts
    others = sorted(set(categories.loc[categories["k"] == 8, "color"]) - set(colors))
    # (a colour of k = 8 alone may match a few antialiased pixels at the edge of two cells, never an area)
    assert colors_shown(canvas_colors(browser, "map", others), minimum=300) == 0, "colours of k = 8 alone at k = 6"
    browser.save_screenshot(str(tmp_path / "explore_k6.png"))

    # hovering a grid point shows its category (the one labels.nc has there) and its profile
    with xr.open_dataset(workdir / "results/small/labels.nc") as labels:
        cube = labels["labels"].sel(k=6)
        lat, lon = (
            float(cube["latitude"][len(cube["latitude"]) // 2]),
            float(cube["longitude"][len(cube["longitude"]) // 3]),
        )
        expected = int(cube.sel(latitude=lat, longitude=lon).values)
    assert expected >= 0
    move_mouse(browser, screen_position(browser, "map", lon, lat))
    text = wait_for(
        lambda: (lambda t: t if "category" in t else "")(
            browser.execute_script(MODEL + "return model('hover_info').text;")
        )
    )
    assert f"<b>category {expected}</b> at k = 6" in text, text
    assert f"lat {lat:.2f}, lon {lon:.2f}" in text, text
    profile = browser.execute_script(MODEL + "return Array.from(model('point_profile').data.x);")
    assert len(profile) > 5 and all(np.isfinite(profile)), "the hovered point's profile is drawn"

    # the margin toggle: the map shows the margin, not the categories
    browser.execute_script(MODEL + "model('mode').active = 1;")
    wait_for(lambda: browser.execute_script(MODEL + "return model('margin_colorbar').visible;"))
    time.sleep(0.3)
    assert colors_shown(canvas_colors(browser, "map", colors), minimum=2000) <= 1
    browser.execute_script(MODEL + "model('mode').active = 0;")

    # clicking a k on the elbow selects it
    inertia = pd.read_csv(workdir / "results/small/criteria.csv").set_index("k")["inertia"]
    move_mouse(browser, screen_position(browser, "elbow", 4, float(inertia[4])), click=True)
    wait_for(lambda: browser.execute_script(MODEL + "return model('k_slider').value;") == 4)

    # whom to cite
    citation = browser.execute_script(MODEL + "return model('citation').text;")
    assert selection["model_citation"].split(":")[0] in citation
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


@pytest.mark.browser
def test_comparison_page_offline_side_by_side_and_vote(explore_run, browser):
    workdir = explore_run
    page = workdir / COMPARISON_PAGE
    opened = open_page(browser, page)
    assert_offline(opened, page)
    for m, name in enumerate(["small", "small_west"]):
        knee = json.loads((workdir / f"results/{name}/k_selection.json").read_text())["knee"]
        assert browser.execute_script(MODEL + f"return model('knee_marker_{m}').data_source.data.x[0];") == knee

    set_k(browser, 6)
    for m, name in enumerate(["small", "small_west"]):
        categories = pd.read_csv(workdir / f"results/{name}/categories.csv")
        colors = categories.loc[categories["k"] == 6, "color"].tolist()
        assert colors_shown(canvas_colors(browser, f"map_{m}", colors)) == 6, name

    with xr.open_dataset(workdir / "results/compare/pair/labels.nc") as common:
        cube = common["labels"].sel(k=6)
        lat = float(cube["latitude"][len(cube["latitude"]) // 2])
        lon = float(cube["longitude"][len(cube["longitude"]) // 4])
        expected = [int(v) for v in cube.sel(latitude=lat, longitude=lon).values]
    assert min(expected) >= 0, "a point both models cover"
    move_mouse(browser, screen_position(browser, "map_1", lon, lat))
    text = wait_for(
        lambda: (lambda t: t if "category" in t else "")(
            browser.execute_script(MODEL + "return model('hover_info').text;")
        )
    )
    for name, category in zip(["small", "small_west"], expected):
        assert f"{name} <b>category {category}</b>" in text, text
    slow = sum(c == 0 for c in expected)
    assert f"slowest category in {slow} of 2 models" in text
    vote_colors = browser.execute_script(MODEL + "return model('cells').data.vote_color;")
    assert len(set(vote_colors)) >= 2, "the vote map shows its counts"
    assert "whom to cite" in browser.execute_script(MODEL + "return model('citation').text;")


def test_a_page_above_the_size_limit_decimates_its_map_and_says_so(explore_run):
    from tomoclust.explore import model_page_data, page_megabytes
    from tomoclust.explore_page import model_page_html
    from tomoclust.io import read_dataset, read_fits, read_json, read_table

    results = explore_run / "results/small"
    profiles = read_dataset(results / "profiles.nc")
    fits = read_fits(sorted((results / "fits").glob("k*.nc")))
    args = (
        profiles,
        {k: f["centers"].values for k, f in fits.items()},
        read_dataset(results / "labels.nc"),
        read_dataset(results / "confidence.nc"),
        read_table(results / "criteria.csv"),
        read_json(results / "k_selection.json"),
        read_table(results / "categories.csv"),
        [],
    )
    full = model_page_data("small", *args, max_mb=20)
    assert full.points.stride == 1 and not full.note
    limit = 0.5 * (page_megabytes(0, 7, profiles.sizes["depth"], 35) + full.estimated_mb)
    small = model_page_data("small", *args, max_mb=limit)
    assert small.points.stride >= 2 and small.estimated_mb <= limit
    assert f"every {small.points.stride}th grid point" in small.note
    text = model_page_html(small)
    assert "Decimated map." in text and len(text.encode()) / 1e6 < limit
    assert np.allclose(small.curves, full.curves), "centres and envelopes still come from every profile"
