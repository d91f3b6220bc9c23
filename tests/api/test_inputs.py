"""Every JSON body the API takes is one pydantic model, and the OpenAPI document is generated
from the same models: a body the document accepts is parsed, any other JSON is a 422 naming
each field at fault in Chinese, and nothing is written."""
import json
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlalchemy import func, select

from taskboard.api.openapi import spec
from taskboard.auth.schemas import Credentials
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.schemas import parse
from taskboard.tasks.models import Comment, ProgressReport, Task, TaskRequest
from taskboard.tasks.schemas import INPUTS

MODELS = {model.__name__: model for model in (Credentials, *INPUTS)}
PROPERTIES = settings(max_examples=80, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.sampled_from(["2022-06-30", "²", "12", "-1", " ", "approve", "objection", "1e20"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=8)


def _bodies(model) -> st.SearchStrategy:
    """Any JSON, and objects with the model's own fields set to any JSON (targets included)."""
    names = [*model.model_fields, "metric", "value", "comparator"]
    fields = st.dictionaries(st.sampled_from(names), JSON | st.lists(
        st.dictionaries(st.sampled_from(names), JSON, max_size=4), max_size=2), max_size=6)
    return JSON | fields


def _request_bodies(document: dict) -> dict[tuple[str, str], dict]:
    return {(method, path): operation["requestBody"]["content"]["application/json"]["schema"]
            for path, operations in document["paths"].items()
            for method, operation in operations.items() if "requestBody" in operation}


def test_every_body_in_the_document_is_a_model_the_api_parses_with(app):
    bodies = _request_bodies(spec())
    named = set()
    for where, schema in bodies.items():
        text = json.dumps(schema)
        assert '"properties"' not in text, f"{where}: a body written by hand"
        named.update(re.findall(r"#/components/schemas/(\w+)", text))
    assert named == set(MODELS)
    assert len(bodies) == 9


def _model_of(body_schema: dict):
    return MODELS[re.findall(r"#/components/schemas/(\w+)", json.dumps(body_schema))[0]]


def _at(body, field: str):
    for part in field.split("."):
        body = body[int(part) if isinstance(body, list) else part]
    return body


@pytest.mark.parametrize(("method", "path"), sorted(_request_bodies(spec())))
def test_a_body_the_document_accepts_is_parsed(app, method, path):
    """Bodies drawn from the document (schemathesis, positive mode) pass the model."""
    document = spec()
    model = _model_of(_request_bodies(document)[method, path])
    operation = schemathesis.openapi.from_dict(document)[path][method.upper()]

    @given(operation.as_strategy(GenerationMode.POSITIVE))
    @PROPERTIES
    def check(case):
        try:
            parse(model, case.body)
        except ValidationError as error:
            # What JSON Schema cannot say: a text that must be filled is not blank.
            for field, message in error.errors.items():
                assert message == "不能为空。" and not _at(case.body, field).strip(), (
                    field, message, case.body)

    with app.test_request_context():
        check()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_any_json_is_parsed_or_refused_field_by_field(app, name):
    model = MODELS[name]

    @given(_bodies(model))
    @PROPERTIES
    def check(body):
        try:
            parse(model, body)
        except ValidationError as error:
            assert error.errors
            for field, message in error.errors.items():
                assert field.split(".")[0] in {*model.model_fields, "body"}, field
                assert message and not message.isascii(), (field, message)

    with app.test_request_context():
        check()


def _written() -> tuple[int, ...]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Task, ProgressReport, TaskRequest, Comment))


def _report_url(world) -> str:
    return f"/milestones/{world['own_task'].milestones[0].id}/reports"


@pytest.mark.parametrize(("who", "url", "body", "fields"), [
    ("reporter", _report_url, {"text": " ", "values": {"²": 1, "abc": 2, "1": "很多",
                                                       "2": 1e20}, "no_data": [1, "x"]},
     {"text": "不能为空。", "values.²": "指标编号必须是整数，数值必须是数字。",
      "values.abc": "指标编号必须是整数，数值必须是数字。",
      "values.1": "指标编号必须是整数，数值必须是数字。",
      "values.2": "数值超出范围：绝对值须小于 100 万亿。", "no_data": "必须是整数数组。"}),
    ("reporter", _report_url, {"text": "一月", "values": [5]},
     {"values": "必须是 {指标编号: 数值} 形式的对象。"}),
    ("reporter", _report_url, {"text": "长" * 5001},
     {"text": "不能超过 5000 个字。"}),
    ("head", lambda world: f"/tasks/{world['own_task'].id}/requests",
     {"kind": "later", "reason": 5, "due_date": "下个月"},
     {"kind": "必须是以下之一：objection, extension, completion。", "reason": "必须是字符串。",
      "due_date": "必须是 YYYY-MM-DD 格式的日期。"}),
    ("head", lambda world: f"/tasks/{world['own_task'].id}/requests", {},
     {"kind": "不能为空。", "reason": "不能为空。"}),
    ("office", lambda world: f"/tasks/{world['own_task'].id}/comments", {"text": None},
     {"text": "不能为空。"}),
    ("office", lambda world: f"/tasks/{world['own_task'].id}/suspend", [],
     {"body": "请求体必须是 JSON 对象。"}),
    ("office", lambda world: f"/tasks/{world['own_task'].id}/suspend", {"reason": ["暂缓"]},
     {"reason": "必须是字符串。"}),
])
def test_bad_bodies_are_422_field_by_field_and_write_nothing(api, world, who, url, body,
                                                              fields):
    before = _written()
    response = api(who)("POST", url(world), body)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_error"
    assert response.json["error"]["fields"] == fields
    assert _written() == before


def test_bad_decisions_and_reviews_are_422_field_by_field(api, world, client):
    reporter, office = api("reporter"), api("office")
    head = api("head")
    made = head("POST", f"/tasks/{world['own_task'].id}/requests",
                {"kind": "extension", "reason": "征地未完成", "due_date": "2023-03-31"})
    assert made.status_code == 201, made.json
    response = office("POST", f"/requests/{made.json['id']}/decision",
                      {"decision": "maybe", "unit_id": 2**63, "comment": False})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "decision": "必须是以下之一：approve, reject。", "unit_id": "超出范围。",
        "comment": "必须是字符串。"}
    report = reporter("POST", _report_url(world), {"text": "一月", "values": {
        str(world["own_task"].targets[0].id): 5}})
    assert report.status_code == 201, report.json
    response = office("POST", f"/reports/{report.json['id']}/review", {"decision": True})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "decision": "必须是以下之一：accept, return。"}
    token = client.post("/api/v1/token", json={"username": 7})
    assert token.status_code == 422
    assert token.json["error"]["fields"] == {"username": "必须是字符串。",
                                             "password": "不能为空。"}
    db.session.expire_all()
    assert db.session.get(TaskRequest, made.json["id"]).status == "pending"
    assert db.session.get(ProgressReport, report.json["id"]).review_status == "pending"
