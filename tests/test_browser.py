"""Headless Chromium against a real server: log in and see what the role may see."""
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSWORD
from werkzeug.serving import make_server

SHOTS = Path(__file__).resolve().parent.parent / "test-output" / "browser"


@pytest.fixture
def live_server(app, world) -> Iterator[str]:
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def browser(chromium):
    return chromium


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_a_reporter_logs_in_on_a_phone_and_sees_only_the_units_tasks(live_server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{live_server}/tasks/")
    assert page.url.startswith(f"{live_server}/login")
    log_in(page, live_server, "reporter")
    page.goto(f"{live_server}/tasks/")
    body = page.inner_text("main")
    assert "我单位负责的事项" in body
    assert "别的单位的事项" not in body
    assert page.locator("text=新建事项").count() == 0
    # The menu folds away on a phone and opens with Bootstrap's script, served by the app.
    page.click(".navbar-toggler")
    page.locator("text=退出").wait_for(state="visible")


def test_the_office_creates_a_task_in_the_browser(live_server, browser):
    page = browser.new_page()
    log_in(page, live_server, "office")
    page.goto(f"{live_server}/tasks/new")
    page.fill("#title", "推进离岸孵化相关工作")
    page.select_option("#responsible_unit_id", label="区企业服务中心")
    page.fill("#lead_leader_name", "潘爱民")
    page.fill("#start_date", "2022-01-01")
    page.fill("#due_date", "2022-12-31")
    page.fill("#targets-0-metric", "离岸孵化基地")
    page.fill("#targets-0-value", "5")
    page.fill("#targets-0-measure_unit", "个")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已交办")
    body = page.inner_text("main")
    assert "推进离岸孵化相关工作" in body and "潘爱民" in body and "2022-12" in body


def test_a_plan_figure_too_large_is_shown_beside_its_cell_with_the_typing_kept(
        live_server, browser, world):
    """A phone-width plan page: the refused cell says why, and the other months stay typed."""
    task = world["own_task"]
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    log_in(page, live_server, "office")
    page.goto(f"{live_server}/tasks/{task.id}/plan")
    page.fill("#rows-0-planned_work", "走访重点客商 10 家")
    page.fill("#rows-1-values-0-value", "12")
    page.fill("#rows-2-values-0-value", "1e20")
    page.click("main button[type=submit]")
    message = page.locator("#rows-2-values-0-value + .invalid-feedback")
    message.wait_for()
    assert message.inner_text() == "数值超出范围：绝对值须小于 100 万亿。"
    assert page.input_value("#rows-0-planned_work") == "走访重点客商 10 家"
    assert page.input_value("#rows-1-values-0-value") == "12"
    message.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "plan-figure-too-large-phone.png"))
