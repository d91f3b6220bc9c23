"""SQL statements per page on the large data set: the view as served again (from the cache
of this data version) and the first view after a write of the day's kind — a report or a
task saved, which makes every page stale but leaves units, holidays, settings and the
ranking as they were — in a server that has shown the page before, for the same pages and
viewers as bench_concurrency. Counted in-process on the real SQLite file."""
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_concurrency import LEADER, PASSWORD, REPORTER, accounts, pages
from dataset import large_dataset, main, run_child

QUERIES_TARGET = 10


def _child() -> None:
    from sqlalchemy import event, update

    from taskboard import create_app
    from taskboard.cache import ALL_DATA, DataVersion
    from taskboard.extensions import db

    app = create_app()
    with app.app_context():
        ids = accounts()
        statements = [0]
        event.listen(db.engine, "before_cursor_execute",
                     lambda *_args: statements.__setitem__(0, statements[0] + 1))
    clients = {}
    for who, username in (("leader", LEADER), ("reporter", REPORTER)):
        client = clients[who] = app.test_client()
        form = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf-token" content="([^"]+)"', form).group(1)
        client.post("/login", data={"csrf_token": token, "username": username,
                                    "password": PASSWORD})
    counts = {}
    for page in pages(ids):
        if page.who not in clients:
            continue
        client = clients[page.who]
        client.get(page.path)  # a server that has run a while: not its very first view
        with app.app_context():  # a write: what saving a report does to the data version
            db.session.execute(update(DataVersion).where(DataVersion.id == ALL_DATA)
                               .values(value=DataVersion.value + 1))
            db.session.commit()
        seen = []
        for _view in ("first", "again"):
            statements[0] = 0
            response = client.get(page.path)
            if response.status_code != 200:
                raise RuntimeError(f"{page.path} answered {response.status_code}")
            seen.append(statements[0])
        counts[page.name] = seen
    print(json.dumps(counts))


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "queries.db"
        shutil.copyfile(large_dataset(), database)
        counts = run_child(__file__, database)
    rows = []
    for name, (first, again) in counts.items():
        for label, value in (("first view after a write", first), ("served again", again)):
            rows.append({"name": f"{name}: SQL statements, {label}", "value": value, "unit": "",
                         "target": QUERIES_TARGET, "ok": value <= QUERIES_TARGET})
    return rows


if __name__ == "__main__":
    main(run, _child)
