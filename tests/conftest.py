"""Fixtures in the flaskr / indico style: one migrated database per run, emptied after each test.

The same suite runs on PostgreSQL when TASKBOARD_TEST_DATABASE_URL is set.
"""
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from taskboard import create_app
from taskboard.auth.models import User
from taskboard.auth.services import create_user
from taskboard.extensions import db
from taskboard.tasks.services import TargetData, TaskData, create_task
from taskboard.units.models import Unit

PASSWORD = "correct-horse-1"
TODAY = date(2022, 6, 15)
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TASKBOARD_TEST_DATABASE_URL")
    if url:
        engine = create_engine(url)
        with engine.begin() as conn:  # a fresh schema: the migrations must build everything
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _database_url(tmp_path_factory)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()  # the schema comes from the migrations, exactly as in production
        db.engine.dispose()
    return url


def _empty_tables() -> None:
    from taskboard import cache

    cache.clear()  # the next test's data starts again at the same version numbers
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test",
        "TODAY": TODAY.isoformat(),
        "SERVER_NAME": "localhost",
        # Real scrypt, cheap enough for the hundreds of accounts the suite makes.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Every test client is 127.0.0.1; the throttling tests lower this again.
        "LOGIN_ADDRESS_LIMIT": 100_000,
    })
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.engine.dispose()


class Client(FlaskClient):
    """A browser-like client: CSRF stays on, so every form post carries the page's token."""

    csrf_token: str | None = None

    def open(self, *args, **kwargs):
        # Each request gets its own app context, hence its own database session, g and
        # translations, as it would in production; the test's own context stays untouched.
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def token(self) -> str:
        if self.csrf_token is None:
            page = self.get("/login").get_data(as_text=True)
            self.csrf_token = CSRF_RE.search(page).group(1)
        return self.csrf_token

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = {"csrf_token": self.token(), **(data or {})}
        return self.post(url, data=data, **kwargs)

    def login(self, username: str, password: str = PASSWORD):
        response = self.post_form("/login", {"username": username, "password": password})
        assert response.status_code == 302, f"log-in as {username} failed"
        return response


@pytest.fixture
def client(app: Flask) -> Client:
    app.test_client_class = Client
    return app.test_client()


class Api:
    """The JSON API as one account: ``api(method, url, body)`` with its bearer token."""

    def __init__(self, client, token: str | None = None) -> None:
        self.client, self.token = client, token

    def __call__(self, method: str, url: str, json=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.client.open(f"/api/v1{url}", method=method, json=json, headers=headers,
                                **kwargs)


@pytest.fixture
def api(client):
    """``api(username)`` → that account's ``Api`` (a fresh token by log-in)."""
    def log_in(username: str) -> Api:
        response = client.post("/api/v1/token", json={"username": username,
                                                      "password": PASSWORD})
        assert response.status_code == 200, response.json
        return Api(client, response.json["token"])
    return log_in


# ---- factories: each returns a saved object ----------------------------------------------

def make_unit(code: str = "qyfw", name: str | None = None, **values) -> Unit:
    unit = Unit(code=code, name=name or f"单位{code}", short_name=values.pop("short_name", code),
                **values)
    db.session.add(unit)
    db.session.commit()
    return unit


def make_user(username: str, role: str = "office", unit: Unit | None = None, **values) -> User:
    user = create_user(username=username, role=role, password=PASSWORD, unit=unit,
                       email=values.pop("email", f"{username}@example.org"), **values)
    db.session.commit()
    return user


def make_task(unit: Unit, *, title: str = "加快重大项目开工", start: date = date(2022, 1, 1),
              due: date = date(2022, 12, 31), today: date | None = None,
              targets: list[TargetData] | None = None, **values):
    """A task assigned (交办) on ``today``, by default on the day it starts."""
    data = TaskData(title=title, responsible_unit_id=unit.id, start_date=start, due_date=due,
                    targets=targets if targets is not None else
                    [TargetData(metric="新签约亿元以上产业项目", value=Decimal(60),
                                measure_unit="个")],
                    **values)
    task = create_task(data, today=today or start)
    db.session.commit()
    return task


@pytest.fixture
def world(app: Flask) -> dict:
    """Three units, one account per role, and tasks that each unit role sees or does not."""
    ours, partner, other = make_unit("ours", "区企业服务中心"), make_unit("partner", "区招商局"), \
        make_unit("other", "区城建局")
    users = {
        "admin": make_user("admin", "admin"),
        "office": make_user("office", "office"),
        "leader": make_user("leader", "leader", display_name="主要领导"),
        "unit_head": make_user("head", "unit_head", ours),
        "reporter": make_user("reporter", "reporter", ours),
        "partner_head": make_user("partner_head", "unit_head", partner),
        "other_head": make_user("other_head", "unit_head", other),
    }
    own = make_task(ours, title="我单位负责的事项", cooperating_unit_ids=[partner.id])
    foreign = make_task(other, title="别的单位的事项")
    return {"units": {"ours": ours, "partner": partner, "other": other}, "users": users,
            "own_task": own, "foreign_task": foreign}


# ---- real peers on loopback: an SMTP server and a group-robot webhook -----------------------

class Mailbox:
    """Messages an aiosmtpd server on 127.0.0.1 received."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"

    def up(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def down(self) -> None:
        self.controller.stop()
        self.controller = None

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def subjects(self, address: str | None = None) -> list[str]:
        return [str(m["Subject"]) for m in self.messages
                if address is None or m["To"] == address]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback; the app is configured to send to it."""
    mailbox = Mailbox()
    mailbox.port = _free_port()
    mailbox.up()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port, MAIL_TIMEOUT=5)
    yield mailbox
    if mailbox.controller is not None:
        mailbox.down()


class RobotServer:
    """A group-robot endpoint on loopback that records what it is sent."""

    def __init__(self) -> None:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        robot = self
        self.received: list[tuple[str, dict]] = []
        self.fail = False
        self.secret: str | None = None  # set: a 钉钉 robot with 加签, refusing unsigned posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if robot.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                if robot.secret is not None and not robot.signed(self.path):
                    answer = b'{"errcode":310000,"errmsg":"sign not match"}'
                else:
                    robot.received.append((self.path, json.loads(body)))
                    answer = b'{"errcode":0,"errmsg":"ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def signed(self, path: str) -> bool:
        """钉钉's 加签 check, as its robot API documents: a millisecond timestamp within an hour,
        and sign = Base64(HMAC-SHA256(key=secret, "timestamp\\nsecret"))."""
        import base64
        import hashlib
        import hmac
        import time
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(path).query)
        timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3_600_000:
            return False
        expected = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(),
                            hashlib.sha256).digest()
        return hmac.compare_digest(sign, base64.b64encode(expected).decode())

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot_server():
    server = RobotServer()
    yield server
    server.close()


def make_report(milestone, author, submitted_on: date, review_status: str = "accepted",
                **values):
    """A report as the workflow would leave it (the milestone's flags refreshed), saved."""
    from taskboard.tasks.models import ProgressReport

    report = ProgressReport(milestone=milestone, author=author, submitted_on=submitted_on,
                            review_status=review_status, text=values.pop("text", "报告"),
                            **values)
    db.session.add(report)
    db.session.commit()
    return report


def count_queries(client, url: str) -> int:
    """How many SQL statements one page view runs (the page must answer 200)."""
    from sqlalchemy import event

    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


# ---- headless Chromium: Debian's, since Playwright's own download is not reachable -----------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chinese_font() -> bool:
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True,
                            check=False) if shutil.which("fc-list") else None
    return bool(listed and listed.stdout.strip())


@pytest.fixture(scope="session")
def chromium():
    """One browser for the run. Without chromium the browser tests skip — except where
    TASKBOARD_REQUIRE_BROWSER is set (.ci/run), where a skipped browser test is a failure."""
    missing = None if CHROMIUM else "Debian's chromium is not installed"
    if not missing and not _chinese_font():
        # Without one, pages print boxes: the screenshots and printed PDFs would mean nothing.
        missing = "no Chinese font for chromium (apt-get install fonts-noto-cjk)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed"
    if missing:
        if os.environ.get("TASKBOARD_REQUIRE_BROWSER"):
            pytest.fail(f"browser tests required: {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database for the migrations: a SQLite file, or a schema of the PostgreSQL one."""
    url = os.environ.get("TASKBOARD_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    schema = f"migration_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
