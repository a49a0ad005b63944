"""Drive Debian's headless Chromium (through chromedriver and Selenium) over a Snakemake report."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Flags for a machine with no network: no background connections, no first-run work.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def chromium_unavailable_reason() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements.txt)"
    for name, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)):
        if not Path(path).is_file():
            return f"{name} not installed (Debian packages chromium and chromium-driver; .ci/run installs them)"
    return None


def new_chromium(offline: bool = False, performance_log: bool = False):
    """A headless Chromium driven by chromedriver, with its own profile; ``offline``: the network emulated off, so a
    page that asks for anything beyond its file fails visibly; ``performance_log``: the requests it makes are logged."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}")
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    if offline:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
        )
    return driver


def _wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("the report did not show what was expected in time")


def open_report_result(report: Path, category: str, row: list[str], screenshot: Path | None = None) -> dict:
    """Open a category of the report, show the result whose row holds the words ``row``, open its caption.

    Returns the width of the largest decoded image and the page text.
    """
    from selenium.webdriver.common.by import By

    driver = new_chromium()
    try:
        driver.get(Path(report).resolve().as_uri())
        nav = lambda: driver.find_element(By.TAG_NAME, "nav")  # noqa: E731
        link = _wait_for(lambda: [a for a in nav().find_elements(By.TAG_NAME, "a") if a.text.strip() == category])
        link[0].click()

        def result_row():
            rows = [r for r in nav().find_elements(By.TAG_NAME, "tr") if set(row) <= set(r.text.split())]
            return rows[0] if rows else None

        _wait_for(result_row).find_element(By.CSS_SELECTOR, "a[iconname=eye]").click()

        def image_width():
            widths = [
                img.get_property("naturalWidth") or 0
                for img in driver.find_elements(By.TAG_NAME, "img")
                if (img.get_attribute("src") or "").startswith("data:image/png")
            ]
            return max(widths, default=0)

        width = _wait_for(image_width)
        if screenshot is not None:
            driver.save_screenshot(str(screenshot))
        _wait_for(result_row).find_element(By.CSS_SELECTOR, "a[iconname=information-circle]").click()
        text = _wait_for(
            lambda: (
                driver.find_element(By.TAG_NAME, "body").text
                if "DESCRIPTION" in driver.find_element(By.TAG_NAME, "body").text.upper()
                else ""
            )
        )
        return {"image_width": width, "text": text}
    finally:
        driver.quit()
