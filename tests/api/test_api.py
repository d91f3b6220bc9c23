"""The JSON API: tokens, the permission matrix, every endpoint, and errors that are JSON."""
from datetime import date, timedelta

import jsonschema_rs
import pytest
from conftest import PASSWORD, make_task
from sqlalchemy import func, select

from taskboard.auth.models import ApiToken
from taskboard.extensions import db
from taskboard.tasks.models import Comment, ProgressReport, Task, TaskRequest

ROLES = ("admin", "office", "leader", "unit_head", "reporter")


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_tokens_are_hashed_expire_and_can_be_revoked(client, world, api, app):
    response = client.post("/api/v1/token", json={"username": "office", "password": "wrong"})
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    session = api("office")
    assert session("GET", "/me").json["username"] == "office"
    assert db.session.scalar(select(ApiToken.token_hash)) != session.token
    assert session("DELETE", "/token").status_code == 204
    assert session("GET", "/me").status_code == 401

    app.config["API_TOKEN_TTL"] = 60
    session = api("office")
    record = db.session.scalar(select(ApiToken).where(ApiToken.revoked_at.is_(None)))
    record.expires_at -= timedelta(seconds=120)
    db.session.commit()
    assert session("GET", "/me").status_code == 401


def test_a_session_cookie_is_not_accepted(client, world):
    client.login("office")
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(world, api, role):
    session = api(world["users"][role].username)
    own, foreign = world["own_task"], world["foreign_task"]
    manager, sees_all = role in ("admin", "office"), role in ("admin", "office", "leader")

    titles = {t["title"] for t in session("GET", "/tasks").json["items"]}
    assert titles == ({own.title, foreign.title} if sees_all else {own.title})
    assert session("GET", f"/tasks/{own.id}").status_code == 200
    assert session("GET", f"/tasks/{foreign.id}").status_code == (200 if sees_all else 403)
    assert session("GET", "/tasks/999999").status_code == 404
    assert session("GET", "/users").status_code == (200 if manager else 403)
    assert session("GET", "/units").status_code == 200

    before = _count(Task)
    response = session("POST", "/tasks", {"title": "新事项", "start_date": "2022-01-01",
                                          "due_date": "2022-03-31",
                                          "responsible_unit_id": world["units"]["ours"].id})
    assert response.status_code == (201 if manager else 403)
    assert _count(Task) == before + (1 if manager else 0)
    response = session("PATCH", f"/tasks/{own.id}", {"level": "listed"})
    assert response.status_code == (200 if manager else 403)

    milestone = own.milestones[0]
    response = session("POST", f"/milestones/{milestone.id}/reports",
                       {"text": "已完成", "values": {str(own.targets[0].id): 5}})
    assert response.status_code == (201 if role in ("unit_head", "reporter") else 403)
    response = session("POST", f"/tasks/{own.id}/comments", {"text": "收到"})
    assert response.status_code == 201
    assert response.json["is_instruction"] == (role == "leader")


def test_a_cooperating_unit_may_comment_but_not_report(world, api):
    session = api("partner_head")
    own = world["own_task"]
    assert session("GET", f"/tasks/{own.id}").status_code == 200
    assert session("POST", f"/milestones/{own.milestones[0].id}/reports",
                   {"text": "x"}).status_code == 403
    assert session("POST", f"/tasks/{own.id}/requests",
                   {"kind": "extension", "reason": "x", "due_date": "2023-01-31"}
                   ).status_code == 403
    assert _count(ProgressReport) == 0 and _count(TaskRequest) == 0


def test_create_and_patch_a_task(world, api):
    session = api("office")
    ours, partner = world["units"]["ours"], world["units"]["partner"]
    response = session("POST", "/tasks", {
        "title": "推进离岸孵化相关工作", "responsible_unit_id": ours.id,
        "cooperating_unit_ids": [partner.id], "lead_name": "潘爱民",
        "start_date": "2022-01-01", "due_date": "2022-12-31", "level": "key",
        "category": "创新", "targets": [
            {"metric": "离岸孵化基地", "comparator": ">=", "value": 5, "unit": "个",
             "cumulative": True},
            {"metric": "营业收入增长", "value": None, "unit": "%", "cumulative": False}]})
    assert response.status_code == 201, response.json
    task = response.json
    assert task["code"] == "DB-2022-003" and task["lead"] == "潘爱民"
    assert len(task["milestones"]) == 12
    assert task["targets"][1]["value"] is None
    first_target = str(task["targets"][0]["id"])
    assert task["milestones"][11]["planned_values"][first_target] == 5

    response = session("PATCH", f"/tasks/{task['id']}", {"due_date": "2022-06-30"})
    assert response.status_code == 200
    patched = response.json
    assert patched["due_date"] == "2022-06-30" and patched["title"] == "推进离岸孵化相关工作"
    assert patched["level"] == "key" and len(patched["milestones"]) == 6
    assert patched["cooperating_units"] == [{"id": partner.id, "name": partner.name}]


@pytest.mark.parametrize(("body", "fields"), [
    ({"title": "x", "responsible_unit_id": 1, "start_date": "2022-05-01",
      "due_date": "2022-04-01"}, {"due_date"}),
    ({"title": "x", "responsible_unit_id": 99999, "start_date": "2022-01-01",
      "due_date": "2022-04-01"}, {"responsible_unit_id"}),
    ({"title": "", "responsible_unit_id": 1, "start_date": "2022-01-01",
      "due_date": "2022-04-01"}, {"title"}),
    ({"responsible_unit_id": "one", "start_date": "tomorrow"},
     {"title", "responsible_unit_id", "start_date", "due_date"}),
    ({"title": "x", "responsible_unit_id": 1, "start_date": "2022-01-01",
      "due_date": "2022-04-01", "level": "urgent",
      "targets": [{"metric": "", "value": "lots"}]},
     {"level", "targets.0.metric", "targets.0.value"}),
    ({"title": "x", "responsible_unit_id": 1, "start_date": "2022-01-01",
      "due_date": "2022-04-01", "lead_name": "领" * 65, "responsible_person": "人" * 65,
      "category": "类" * 101}, {"lead_name", "responsible_person", "category"}),
])
def test_bad_task_input_is_422_with_the_fields_and_writes_nothing(world, api, body, fields):
    session = api("office")
    before = _count(Task)
    response = session("POST", "/tasks", body)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"
    assert set(response.json["error"]["fields"]) == fields
    assert _count(Task) == before


def test_malformed_and_too_large_bodies(world, api, app):
    session = api("office")
    response = session.client.post("/api/v1/tasks", data="{not json",
                                   content_type="application/json",
                                   headers={"Authorization": f"Bearer {session.token}"})
    assert response.status_code == 400 and response.json["error"]["code"] == "malformed_json"
    assert session("POST", "/tasks", [1, 2]).status_code == 422
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = session("POST", "/tasks", {"title": "长" * 2000})
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"
    assert session("PUT", "/tasks").status_code == 405
    assert session("GET", "/nothing-here").json["error"]["code"] == "not_found"


def test_paging_and_filters(world, api, app):
    ours = world["units"]["ours"]
    for n in range(25):
        make_task(ours, title=f"批量{n:02d}", due=date(2022, 12, 31))
    session = api("office")
    page = session("GET", "/tasks?per_page=10&page=2").json
    assert (page["page"], page["pages"], page["total"], len(page["items"])) == (2, 3, 27, 10)
    assert len(session("GET", "/tasks?per_page=1000").json["items"]) == 27  # clamped to 100
    assert session("GET", "/tasks?q=批量07").json["total"] == 1
    assert session("GET", f"/tasks?unit_id={world['units']['other'].id}").json["total"] == 1
    app.config["TODAY"] = "2022-02-15"  # January is overdue and nobody reported
    assert session("GET", "/tasks?light=red").json["total"] == 27
    assert session("GET", "/tasks?light=green").json["total"] == 0
    response = session("GET", "/tasks?light=purple&per_page=x")
    assert response.status_code == 422


def test_report_review_and_requests_through_the_api(world, api, app):
    own = world["own_task"]
    target = own.targets[0]
    reporter, office, head = api("reporter"), api("office"), api("head")
    assert reporter("POST", f"/tasks/{own.id}/acknowledge").json["acknowledged_at"]
    assert reporter("POST", f"/tasks/{own.id}/acknowledge").status_code == 409
    milestone = own.milestones[0]
    url = f"/milestones/{milestone.id}/reports"
    bad = reporter("POST", url, {"text": "", "values": {str(target.id): "many"}})
    assert bad.status_code == 422 and {"text", f"values.{target.id}"} <= set(
        bad.json["error"]["fields"])
    response = reporter("POST", url, {"text": "一月完成 5 个", "values": {str(target.id): 5}})
    assert response.status_code == 201 and response.json["review_status"] == "pending"
    assert reporter("POST", url, {"text": "再报"}).status_code == 409
    report_id = response.json["id"]
    assert reporter("POST", f"/reports/{report_id}/review",
                    {"decision": "accept"}).status_code == 403
    assert office("POST", f"/reports/{report_id}/review",
                  {"decision": "return"}).status_code == 422
    response = office("POST", f"/reports/{report_id}/review",
                      {"decision": "accept", "comment": "好"})
    assert response.status_code == 200 and response.json["review_status"] == "accepted"
    assert office("POST", f"/reports/{report_id}/review",
                  {"decision": "accept"}).status_code == 409

    assert reporter("POST", f"/tasks/{own.id}/requests",
                    {"kind": "extension", "reason": "x", "due_date": "2023-03-31"}
                    ).status_code == 403  # the head asks, not the reporter
    response = head("POST", f"/tasks/{own.id}/requests",
                    {"kind": "extension", "reason": "审批延后", "due_date": "2023-03-31"})
    assert response.status_code == 201
    assert head("POST", f"/tasks/{own.id}/requests",
                {"kind": "extension", "reason": "再申请", "due_date": "2023-04-30"}
                ).status_code == 409
    decided = office("POST", f"/requests/{response.json['id']}/decision",
                     {"decision": "approve"})
    assert decided.status_code == 200 and decided.json["status"] == "approved"
    assert office("GET", f"/tasks/{own.id}").json["due_date"] == "2023-03-31"

    response = head("POST", f"/tasks/{own.id}/requests",
                    {"kind": "completion", "reason": "已完成"})
    office("POST", f"/requests/{response.json['id']}/decision", {"decision": "approve"})
    task = office("GET", f"/tasks/{own.id}").json
    assert task["status"] == "done" and task["light"] is None
    assert _count(Comment) == 0


def test_the_openapi_description_covers_every_endpoint(client, app):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    documented = {(path, method) for path, methods in paths.items() for method in methods}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)


def _checker(document: dict, schema: dict):
    """A validator for ``schema`` whose $refs reach the document's components."""
    return jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]})


def _conforms(document: dict, path: str, method: str, response) -> None:
    """``response`` is what the document says ``method path`` answers with its status."""
    described = document["paths"][path][method]["responses"][str(response.status_code)]
    schema = described["content"]["application/json"]["schema"]
    errors = [str(error) for error in _checker(document, schema).iter_errors(response.json)]
    assert not errors, (method, path, response.status_code, errors)


def test_real_answers_match_the_openapi_description(world, api):
    document = api("office")("GET", "/openapi.json").json
    session = api("office")
    body = {"title": "推进离岸孵化相关工作", "responsible_unit_id": world["units"]["ours"].id,
            "cooperating_unit_ids": [world["units"]["partner"].id], "lead_name": "潘爱民",
            "start_date": "2022-01-01", "due_date": "2022-06-30", "level": "key",
            "targets": [{"metric": "离岸孵化基地", "value": 5, "unit": "个"},
                        {"metric": "营业收入增长", "value": None, "cumulative": False}]}
    request_schema = document["paths"]["/tasks"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert _checker(document, request_schema).is_valid(body)
    assert not _checker(document, request_schema).is_valid({"title": "缺责任单位和时限"})

    created = session("POST", "/tasks", body)
    assert created.status_code == 201
    _conforms(document, "/tasks", "post", created)
    task_path = "/tasks/{task_id}"
    _conforms(document, task_path, "get", session("GET", f"/tasks/{created.json['id']}"))
    _conforms(document, "/tasks", "get", session("GET", "/tasks"))
    patched = session("PATCH", f"/tasks/{created.json['id']}", {"due_date": "2022-03-31"})
    assert patched.status_code == 200
    _conforms(document, task_path, "patch", patched)
    bad = session("PATCH", f"/tasks/{created.json['id']}", {"level": "urgent", "lead_id": True})
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"level", "lead_id"}
    _conforms(document, task_path, "patch", bad)
    _conforms(document, task_path, "get", session("GET", "/tasks/999999"))


def test_the_follow_through_answers_match_the_openapi_description(world, api, client):
    """The document accepts each body sent (but the one refused), and describes each answer."""
    document = api("office")("GET", "/openapi.json").json
    own = world["own_task"]
    target = own.targets[0]

    def call(session, method: str, path: str, url: str, body, status: int) -> dict:
        if body is not None:
            schema = document["paths"][path][method]["requestBody"]["content"][
                "application/json"]["schema"]
            # The document refuses exactly the body the API answers with 422.
            assert _checker(document, schema).is_valid(body) == (status != 422), (path, body)
        response = session(method.upper(), url, body) if session else client.post(
            f"/api/v1{url}", json=body)
        assert response.status_code == status, (path, response.json)
        _conforms(document, path, method, response)
        return response.json

    call(None, "post", "/token", "/token", {"username": "office", "password": PASSWORD}, 200)
    call(None, "post", "/token", "/token", {"username": "office", "password": "wrong"}, 401)
    reporter, head, office = api("reporter"), api("head"), api("office")
    call(reporter, "post", "/tasks/{task_id}/acknowledge", f"/tasks/{own.id}/acknowledge",
         None, 200)
    reports = "/milestones/{milestone_id}/reports"
    january = f"/milestones/{own.milestones[0].id}/reports"
    figures = {"text": "一月签约 5 个", "values": {str(target.id): 5}}
    first = call(reporter, "post", reports, january, figures, 201)
    call(reporter, "post", reports, january, figures, 409)
    review = "/reports/{report_id}/review"
    call(office, "post", review, f"/reports/{first['id']}/review", {"decision": "maybe"}, 422)
    call(office, "post", review, f"/reports/{first['id']}/review",
         {"decision": "return", "comment": "请补充佐证"}, 200)
    again = call(reporter, "post", reports, january, {**figures, "no_data": []}, 201)
    call(office, "post", review, f"/reports/{again['id']}/review", {"decision": "accept"}, 200)
    made = call(head, "post", "/tasks/{task_id}/requests", f"/tasks/{own.id}/requests",
                {"kind": "extension", "reason": "征地未完成", "due_date": "2023-03-31"}, 201)
    call(office, "post", "/requests/{request_id}/decision", f"/requests/{made['id']}/decision",
         {"decision": "approve", "comment": "同意", "unit_id": None}, 200)
    call(api("leader"), "post", "/tasks/{task_id}/comments", f"/tasks/{own.id}/comments",
         {"text": "抓紧推进"}, 201)
    call(office, "post", "/tasks/{task_id}/suspend", f"/tasks/{own.id}/suspend",
         {"reason": "规划调整，待区政府研究"}, 200)
    call(office, "post", "/tasks/{task_id}/resume", f"/tasks/{own.id}/resume", None, 200)
