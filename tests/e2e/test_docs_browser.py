"""The API docs page in a real headless Chromium, served by gunicorn with no internet."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOTS = Path(os.environ.get("SPIRE_SCREENSHOTS", tempfile.gettempdir()))
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("Debian's chromium and chromium-driver are needed (.ci/run installs them)")
    profile = tempfile.mkdtemp(prefix="spire-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_docs_page_renders_every_operation_offline(demo_server, browser, tmp_path):
    base, _, _ = demo_server
    browser.get(f"{base}/docs")
    WebDriverWait(browser, 20).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".opblock"))
    )
    operations = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    paths = {element.get_attribute("data-path") for element in operations}
    assert "/api/v1/participants/{participant_id}" in paths
    assert "/api/v1/auth/login" in paths
    assert browser.find_element(By.CSS_SELECTOR, ".info .title").text.startswith("Spire")
    failed = [
        entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
    ]
    assert failed == []
    browser.save_screenshot(str(SCREENSHOTS / "docs.png"))
