"""Debian's headless Chromium driven by Selenium, for the pages people use in a browser:
the docs page and the office."""

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from selenium_axe_python import Axe

SCREENSHOTS = Path(os.environ.get("SPIRE_SCREENSHOTS", tempfile.gettempdir()))
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
# The impacts an accessibility check refuses.
SERIOUS = ("serious", "critical")


@contextmanager
def chromium(width: int = 1280, height: int = 1000, language: str = "nb") -> Iterator[WebDriver]:
    """A fresh headless Chromium with a profile of its own, downloading into ``downloads``
    (``driver.downloads``), reading pages in ``language``."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("Debian's chromium and chromium-driver are needed (.ci/run installs them)")
    profile = tempfile.mkdtemp(prefix="spire-chromium-")
    downloads = Path(tempfile.mkdtemp(prefix="spire-downloads-"))
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
        f"--window-size={width},{height}",
        f"--lang={language}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": language,
        },
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(downloads, ignore_errors=True)


class OfficeBrowser:
    """A person at the office pages: opens pages, fills forms, presses buttons, as with a
    mouse and keyboard."""

    def __init__(self, driver: WebDriver, base: str):
        self.driver = driver
        self.base = base

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def wait_for(self, css: str, seconds: float = 10):
        return WebDriverWait(self.driver, seconds).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def fill(self, fields: dict[str, str]) -> None:
        """Type into the boxes (by name) of the page's form, replacing what was there;
        a select box takes the option's visible text or value."""
        from selenium.webdriver.support.select import Select

        for name, value in fields.items():
            element = self.find(f'[name="{name}"]:not([type="hidden"])')
            if element.tag_name == "select":
                chooser = Select(element)
                try:
                    chooser.select_by_visible_text(value)
                except Exception:  # noqa: BLE001 - not a visible text: the value then
                    chooser.select_by_value(value)
            elif element.get_attribute("type") == "checkbox":
                if element.is_selected() != bool(value):
                    element.click()
            else:
                element.clear()
                element.send_keys(value)

    def click_and_wait(self, css: str, confirm: bool = False) -> None:
        """Click what ``css`` finds (accepting the question it asks, if ``confirm``), and
        wait for the page it leads to."""
        self._click_and_wait((By.CSS_SELECTOR, css), confirm)

    def press(self, text: str) -> None:
        """Click the button (or link styled as one) with this text, and wait for the page
        it leads to."""
        self._click_and_wait(
            (
                By.XPATH,
                f'//button[normalize-space()="{text}"] | //a[normalize-space()="{text}"]'
                f' | //input[@type="submit" and @value="{text}"]',
            ),
            False,
        )

    def _click_and_wait(self, locator: tuple[str, str], confirm: bool) -> None:
        old = self.find("html")
        for attempt in range(3):
            try:
                self.driver.find_element(*locator).click()
                break
            except (StaleElementReferenceException, WebDriverException) as error:
                # Chromium now and then loses track of a node it has just handed out
                # ("does not belong to the document"): find it again and click once more.
                if attempt == 2 or "document" not in str(error.msg or ""):
                    raise
                time.sleep(0.2)
        if confirm:
            WebDriverWait(self.driver, 5).until(expected_conditions.alert_is_present())
            self.driver.switch_to.alert.accept()
        WebDriverWait(self.driver, 10).until(expected_conditions.staleness_of(old))

    def sign_in(self, username: str, password: str) -> None:
        self.open("/office/login")
        self.fill({"username": username, "password": password})
        self.press(self.find('form button[type="submit"]').text)

    @property
    def heading(self) -> str:
        return self.find("h1").text

    @property
    def text(self) -> str:
        return self.find("body").text

    def screenshot(self, name: str) -> Path:
        """The page from its top, as someone arriving at it sees it."""
        self.driver.execute_script("window.scrollTo(0, 0);")
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def serious_violations(self) -> list[dict]:
        """What axe-core (bundled with selenium-axe-python, run in the page, nothing
        fetched) finds of serious or critical impact on the page shown."""
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results["violations"]
            if v["impact"] in SERIOUS
        ]

    def console_errors(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]

    def wait_for_download(self, suffix: str, seconds: float = 30) -> Path:
        """The file the browser finished downloading, ending in ``suffix``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done = [p for p in self.driver.downloads.glob(f"*{suffix}")]
            if done:
                return done[0]
            time.sleep(0.2)
        pytest.fail(f"no {suffix} file was downloaded")
