"""The API docs page in a real headless Chromium, served by gunicorn with no internet."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.browser import SCREENSHOTS, chromium


@pytest.fixture
def browser():
    with chromium() as driver:
        yield driver


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
