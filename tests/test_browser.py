"""End to end in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`, installed by
`make test`) drives the explorer and opens the briefing. Screenshots of each page go to build/screenshots/ (or
$BILAT_SCREENSHOTS). Without Chromium the tests skip, except in CI, where they fail."""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from test_cli import bilat, read_jsonl, seeded  # noqa: F401 - the shared store of the sample corpus
from test_report import HOSTILE

SHOTS = Path(os.environ.get("BILAT_SCREENSHOTS", Path(__file__).resolve().parents[1] / "build" / "screenshots"))


def _binaries() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def driver():
    found = _binaries()
    if not found:
        message = "headless Chromium not installed (apt-get install chromium chromium-driver; `make test` does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,1600", "--disable-extensions"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(executable_path=found[1]), options=options)
    browser.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield browser
    browser.quit()


def _serve(db: Path):
    import uvicorn

    from bilat.explorer import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def explorer(seeded):  # noqa: F811
    server, thread, url = _serve(seeded["db"])
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def console_errors(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def no_alert(browser) -> bool:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        browser.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def pair_events(seeded) -> list[dict]:  # noqa: F811
    return [e for e in read_jsonl(seeded["work"] / "e.jsonl") if sorted((e["source"][:3], e["target"][:3])) == ["PAK", "RUS"]]


def test_the_timeline_renders_a_mark_per_dated_event(driver, explorer, seeded):  # noqa: F811
    from selenium.webdriver.common.by import By

    driver.get(f"{explorer}/?pair=PAK-RUS")
    dated = [e for e in pair_events(seeded) if e["date"]]
    marks = driver.find_elements(By.CSS_SELECTOR, "svg.timeline g.mark")
    assert len(marks) == len(dated)
    assert all(m.is_displayed() for m in marks)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#events tr.event")) == len(pair_events(seeded))
    driver.save_screenshot(str(SHOTS / "explorer.png"))
    assert console_errors(driver) == []


def test_a_filter_changes_what_is_shown(driver, explorer, seeded):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{explorer}/?pair=PAK-RUS")
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    Select(driver.find_element(By.NAME, "status")).select_by_visible_text("planned")
    old_table = driver.find_element(By.ID, "events")
    driver.find_element(By.ID, "apply").click()
    WebDriverWait(driver, 30).until(expected_conditions.staleness_of(old_table))  # the new page has loaded
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "events"))
    planned = [e for e in pair_events(seeded) if e["status"] == "planned"]
    rows = driver.find_elements(By.CSS_SELECTOR, "#events tr.event")
    assert "status=planned" in driver.current_url
    assert len(rows) == len(planned) < len(pair_events(seeded))
    assert all("planned" in r.text for r in rows)
    driver.save_screenshot(str(SHOTS / "explorer-filtered.png"))
    assert console_errors(driver) == []


def test_an_event_page_shows_its_sentences_in_their_articles(driver, explorer, seeded):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    visit = next(e for e in pair_events(seeded) if e["date"] == "2021-04-06" and e["cameo"] == "042")
    driver.get(f"{explorer}/events/{visit['event_id']}")
    marked = [m.text for m in driver.find_elements(By.TAG_NAME, "mark")]
    assert len(marked) == len(visit["mentions"]) >= 2
    for m in visit["mentions"]:
        assert " ".join(m["sentence"].split()) in [" ".join(t.split()) for t in marked]
    driver.save_screenshot(str(SHOTS / "event.png"))
    driver.find_element(By.CSS_SELECTOR, "#mentions a").click()
    WebDriverWait(driver, 30).until(lambda d: "/articles/" in d.current_url and d.find_elements(By.ID, "title"))
    assert "/articles/" in driver.current_url and driver.find_elements(By.CSS_SELECTOR, "mark a")
    driver.save_screenshot(str(SHOTS / "article.png"))
    assert console_errors(driver) == []


def test_the_briefing_opens_offline_with_its_charts(driver, seeded):  # noqa: F811
    from selenium.webdriver.common.by import By

    out = seeded["work"] / "browser-report.html"
    bilat("report", "Russia", "Pakistan", "--out", str(out), "--db", str(seeded["db"]))
    driver.get(out.as_uri())
    dated = [e for e in pair_events(seeded) if e["date"]]
    assert len(driver.find_elements(By.CSS_SELECTOR, "svg.timeline g.mark")) == len(dated)
    assert driver.find_elements(By.CSS_SELECTOR, "svg.index rect.bar")
    driver.save_screenshot(str(SHOTS / "report.png"))
    assert console_errors(driver) == []


def test_hostile_text_runs_nowhere(driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    (tmp_path / "news.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = tmp_path / "h.duckdb"
    bilat("run", str(tmp_path / "news.jsonl"), "--db", str(db))
    bilat("report", "Russia", "Pakistan", "--out", str(tmp_path / "h.html"), "--db", str(db))
    driver.get((tmp_path / "h.html").as_uri())
    assert no_alert(driver)
    assert "<script>" in driver.find_element(By.TAG_NAME, "body").text  # shown as text
    driver.save_screenshot(str(SHOTS / "hostile-report.png"))
    server, thread, url = _serve(db)
    try:
        driver.get(f"{url}/?q=energy")
        assert no_alert(driver)
        driver.find_element(By.CSS_SELECTOR, "#events a").click()
        WebDriverWait(driver, 30).until(lambda d: "/events/" in d.current_url and d.find_elements(By.ID, "mentions"))
        assert no_alert(driver)
        driver.find_element(By.CSS_SELECTOR, "#mentions a").click()
        WebDriverWait(driver, 30).until(lambda d: "/articles/" in d.current_url and d.find_elements(By.ID, "title"))
        assert no_alert(driver)
        assert "<script>" in driver.find_element(By.ID, "title").text
        driver.save_screenshot(str(SHOTS / "hostile-article.png"))
        assert not [e for e in console_errors(driver) if "alert" in e]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
