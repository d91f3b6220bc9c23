"""Every role's day in headless Chromium against a real server process on a fresh demo database.

The server is `flask run` in its own process, on a SQLite file made for the run, as of
15 June 2022, sending mail to an aiosmtpd server on loopback. Each page the browser lands on is
checked (one h1, every input labelled, no horizontal scrolling at 390 px) and photographed under
test-output/e2e/; console errors and 404s fail the test that caused them.
"""
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import Mailbox, _free_port

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "e2e"
TODAY = "2022-06-15"
PASSWORD = "taskboard-demo"
PHONE = {"width": 390, "height": 844}

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea')).filter(el =>
  !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type) &&
  !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.title &&
  !(el.labels && el.labels.length)).map(el => el.outerHTML.slice(0, 160))"""


@dataclass
class DemoServer:
    url: str
    env: dict
    mailbox: Mailbox

    def flask(self, *args: str) -> str:
        """Run a flask command against the server's database, as an operator would."""
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "taskboard", *args],
                              cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.port = _free_port()
    box.up()
    yield box
    box.down()


@pytest.fixture(scope="session")
def server(tmp_path_factory, mailbox) -> Iterator[DemoServer]:
    folder = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TASKBOARD_")}
    env.update({
        "TASKBOARD_INSTANCE_PATH": str(folder),
        "TASKBOARD_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.db'}",
        "TASKBOARD_TODAY": TODAY,
        "TASKBOARD_SECRET_KEY": "e2e-secret-key",
        "TASKBOARD_DEMO_PASSWORD": PASSWORD,
        "TASKBOARD_MAIL_SERVER": "127.0.0.1",
        "TASKBOARD_MAIL_PORT": str(mailbox.port),
        "TASKBOARD_BASE_URL": f"http://127.0.0.1:{port}",
        # Every role logs in from 127.0.0.1 within the minute.
        "TASKBOARD_LOGIN_ADDRESS_LIMIT": "100000",
    })
    demo = DemoServer(f"http://127.0.0.1:{port}", env, mailbox)
    demo.flask("db", "upgrade")
    demo.flask("demo", "--year", "2022")
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "taskboard", "run", "--host", "127.0.0.1",
         "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{demo.url}/login", timeout=2)
            break
        except OSError:
            assert process.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
    yield demo
    process.terminate()
    process.wait(timeout=10)
    log.close()


@dataclass
class Visit:
    """A browser page whose every landing is checked and photographed."""

    page: object
    base: str
    name: str
    problems: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    clicks: int = 0

    def __post_init__(self) -> None:
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error on {self.page.url}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("response", lambda r: r.status == 404 and self.problems.append(
            f"404: {r.url}"))

    def goto(self, path: str, label: str | None = None) -> None:
        self.page.goto(self.base + path)
        self.look(label or path.strip("/").replace("/", "-") or "home")

    def click(self, selector: str, *, landing: str | None = None) -> None:
        """A user's click; with ``landing``, it loads a page, which is then checked."""
        self.clicks += 1
        if landing is None:
            self.page.click(selector)
            return
        with self.page.expect_navigation():
            self.page.click(selector)
        self.look(landing)

    def look(self, label: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        where = page.url
        assert page.locator("h1").count() == 1, f"{where}: not one h1"
        assert page.evaluate(UNLABELLED) == [], f"{where}: unlabelled inputs"
        size = page.viewport_size
        if size["width"] != PHONE["width"]:
            page.set_viewport_size({"width": PHONE["width"], "height": size["height"]})
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if size["width"] != PHONE["width"]:
            page.set_viewport_size(size)
        assert overflow <= 0, f"{where}: {overflow}px wider than a 390 px phone"
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.seen.append(where)
        page.screenshot(path=str(SHOTS / f"{self.name}-{len(self.seen):02d}-{label}.png"),
                        full_page=True)
        assert self.problems == [], self.problems

    def readme(self, name: str) -> None:
        """The screen as it is (not the full page), for the README's pictures."""
        folder = SHOTS.parent / "readme"
        folder.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("() => window.scrollTo(0, 0)")
        self.page.screenshot(path=str(folder / f"{name}.png"))

    def log_in(self, username: str) -> None:
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.click("main button[type=submit]", landing=f"{username}-home")


@pytest.fixture
def visit(chromium, server):
    """visit(name, phone=False) opens a fresh browser context (a new person) on the server."""
    contexts = []

    def open_visit(name: str, phone: bool = False) -> Visit:
        options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else \
            {"viewport": {"width": 1280, "height": 900}}
        context = chromium.new_context(accept_downloads=True, locale="zh-CN", **options)
        contexts.append(context)
        return Visit(context.new_page(), server.url, name)

    yield open_visit
    for context in contexts:
        context.close()
