"""The OpenAPI 3 description of /api/v1 (served at /api/v1/openapi.json, no token needed)."""
from typing import Any

from taskboard.auth.schemas import Credentials
from taskboard.schemas import document_schemas
from taskboard.security import INT_MAX
from taskboard.tasks.models import LIGHTS, REQUEST_KINDS, TASK_LEVELS, TASK_STATUSES
from taskboard.tasks.schemas import INPUTS, REQUIRED_ON_CREATE


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    descriptions = {400: "Malformed JSON", 401: "No or bad token", 403: "Forbidden",
                    404: "Not found", 409: "State conflict", 413: "Too large",
                    422: "Validation error (fields at fault in error.fields)",
                    429: "Too many log-in attempts from this address, or this account is "
                         "locked from it"}
    return {str(code): _json(_ref("Error"), descriptions[code]) for code in codes}


def _id(name: str) -> dict:
    # Ids are 32-bit: anything larger is a 404, never a server error.
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": INT_MAX}}


def _query(name: str, schema: dict, description: str = "") -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
NUMBER_OR_NULL = {"type": ["number", "null"]}
AUTH_ERRORS = (401, 403, 404)

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {
            "code": STRING, "message": STRING,
            "fields": {"type": "object", "additionalProperties": STRING}}}}},
    "Token": {"type": "object", "properties": {"token": STRING,
                                               "expires_at": {"type": "string",
                                                              "format": "date-time"}}},
    "User": {"type": "object", "properties": {
        "id": INTEGER, "username": STRING, "display_name": STRING, "role": STRING,
        "email": {"type": ["string", "null"]}, "unit_id": {"type": ["integer", "null"]},
        "unit": {"type": ["string", "null"]}}},
    "Unit": {"type": "object", "properties": {
        "id": INTEGER, "name": STRING, "short_name": STRING, "code": STRING, "kind": STRING,
        "parent_id": {"type": ["integer", "null"]}, "active": BOOLEAN}},
    "TaskSummary": {"type": "object", "properties": {
        "id": INTEGER, "code": STRING, "title": STRING, "status": {"enum": list(TASK_STATUSES)},
        "light": {"enum": [*LIGHTS, None]}, "level": {"enum": list(TASK_LEVELS)},
        "card": STRING, "due_date": DATE, "lead": {"type": ["string", "null"]},
        "responsible_unit": STRING, "responsible_unit_id": INTEGER}},
    "TaskPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": _ref("TaskSummary")}, "page": INTEGER,
        "pages": INTEGER, "total": INTEGER}},
    "Milestone": {"type": "object", "properties": {
        "id": INTEGER, "period": STRING, "due_date": DATE, "planned_work": STRING,
        "status": STRING, "planned_values": {"type": "object",
                                             "additionalProperties": NUMBER_OR_NULL},
        "light": {"enum": [*LIGHTS, None]}}},
    "Report": {"type": "object", "properties": {
        "id": INTEGER, "milestone_id": INTEGER, "author": STRING, "text": STRING,
        "submitted_on": DATE, "review_status": {"enum": ["pending", "accepted", "returned"]},
        "late_workdays": INTEGER, "behind_points": NUMBER_OR_NULL,
        "review_comment": STRING, "values": {"type": "object",
                                             "additionalProperties": {"type": "number"}}}},
    "Request": {"type": "object", "properties": {
        "id": INTEGER, "task_id": INTEGER, "kind": {"enum": list(REQUEST_KINDS)},
        "status": {"enum": ["pending", "approved", "rejected"]}, "reason": STRING,
        "requested_due_date": {"type": ["string", "null"], "format": "date"}}},
    "Comment": {"type": "object", "required": ["id", "text", "is_instruction"], "properties": {
        "id": INTEGER, "text": STRING,
        "is_instruction": {"type": "boolean", "description": "a leader's comment: 批示"}}},
    "Task": {"allOf": [_ref("TaskSummary"), {"type": "object", "properties": {
        "description": STRING, "category": STRING, "start_date": DATE,
        "suspension": {"type": ["object", "null"],
                       "description": "暂缓: why, since when, the status 恢复办理 returns to",
                       "properties": {"reason": STRING, "since": DATE,
                                      "resumes_to": {"enum": list(TASK_STATUSES)}}},
        "targets": {"type": "array", "items": {"allOf": [_ref("TargetInput"), {
            "type": "object", "required": ["id"], "properties": {"id": INTEGER}}]}},
        "milestones": {"type": "array", "items": _ref("Milestone")},
        "reports": {"type": "array", "items": _ref("Report")},
        "requests": {"type": "array", "items": _ref("Request")}}}]},
    # Every request body, generated from the models the API parses it with.
    **document_schemas([Credentials, *INPUTS]),
}


def spec() -> dict[str, Any]:
    task_id, milestone_id = [_id("task_id")], [_id("milestone_id")]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Taskboard API", "version": "1",
                 "description": "督查督办: tasks, monthly milestones, reports and reviews. "
                                "Send `Authorization: Bearer TOKEN` from POST /token."},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": SCHEMAS, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": {
            "/token": {
                "post": {"summary": "Log in for a token", "security": [],
                         "requestBody": _body(_ref("Credentials")),
                         "responses": {"200": _json(_ref("Token")), **_errors(400, 401, 422, 429)}},
                "delete": {"summary": "Revoke this token",
                           "responses": {"204": {"description": "Revoked"}, **_errors(401)}},
            },
            "/me": {"get": {"summary": "The token's user",
                            "responses": {"200": _json(_ref("User")), **_errors(401)}}},
            "/units": {"get": {"summary": "Units", "responses": {
                "200": _json({"type": "array", "items": _ref("Unit")}), **_errors(401)}}},
            "/users": {"get": {"summary": "Accounts (office, admin)", "responses": {
                "200": _json({"type": "array", "items": _ref("User")}),
                **_errors(401, 403)}}},
            "/openapi.json": {"get": {"summary": "This description", "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3"}}}},
            "/tasks": {
                "get": {"summary": "Tasks the user may see", "parameters": [
                    _query("unit_id", INTEGER, "responsible, co-responsible or cooperating"),
                    _query("status", {"enum": list(TASK_STATUSES)}),
                    _query("light", {"enum": list(LIGHTS)}), _query("lead_id", INTEGER),
                    _query("q", STRING, "code, title or description contains"),
                    _query("page", INTEGER), _query("per_page", INTEGER,
                                                    "default 20, at most 100 (clamped)")],
                    "responses": {"200": _json(_ref("TaskPage")), **_errors(401, 422)}},
                "post": {"summary": "Create a task (office, admin); milestones are generated",
                         "requestBody": _body({"allOf": [_ref("TaskInput"), {
                             "required": list(REQUIRED_ON_CREATE)}]}),
                         "responses": {"201": _json(_ref("Task"), "Created"),
                                       **_errors(400, 401, 403, 422)}},
            },
            "/tasks/{task_id}": {
                "get": {"summary": "A task with targets, milestones and reports",
                        "parameters": task_id,
                        "responses": {"200": _json(_ref("Task")), **_errors(*AUTH_ERRORS)}},
                "patch": {"summary": "Change only the fields given (office, admin)",
                          "parameters": task_id, "requestBody": _body(_ref("TaskInput")),
                          "responses": {"200": _json(_ref("Task")),
                                        **_errors(400, *AUTH_ERRORS, 422)}},
            },
            "/tasks/{task_id}/comments": {"post": {
                "summary": "Comment; a leader's comment is a 批示", "parameters": task_id,
                "requestBody": _body(_ref("CommentInput")),
                "responses": {"201": _json(_ref("Comment"), "Created"),
                              **_errors(400, *AUTH_ERRORS, 422)}}},
            "/tasks/{task_id}/acknowledge": {"post": {
                "summary": "签收 (the responsible unit)", "parameters": task_id,
                "responses": {"200": _json(_ref("Task")), **_errors(*AUTH_ERRORS, 409)}}},
            "/tasks/{task_id}/suspend": {"post": {
                "summary": "暂缓 a live task, with a reason (office, admin)",
                "parameters": task_id,
                "requestBody": _body(_ref("SuspendInput")),
                "responses": {"200": _json(_ref("Task")), **_errors(400, *AUTH_ERRORS, 422)}}},
            "/tasks/{task_id}/resume": {"post": {
                "summary": "恢复办理: back to the status it had (office, admin)",
                "parameters": task_id,
                "responses": {"200": _json(_ref("Task")), **_errors(*AUTH_ERRORS, 422)}}},
            "/tasks/{task_id}/requests": {"post": {
                "summary": "异议, 申请延期 or 申请办结 (unit head)", "parameters": task_id,
                "requestBody": _body(_ref("RequestInput")),
                "responses": {"201": _json(_ref("Request"), "Created"),
                              **_errors(400, *AUTH_ERRORS, 409, 422)}}},
            "/requests/{request_id}/decision": {"post": {
                "summary": "Decide a request (office, admin)",
                "parameters": [_id("request_id")],
                "requestBody": _body(_ref("DecisionInput")),
                "responses": {"200": _json(_ref("Request")),
                              **_errors(400, *AUTH_ERRORS, 409, 422)}}},
            "/milestones/{milestone_id}/reports": {"post": {
                "summary": "Report progress on a milestone", "parameters": milestone_id,
                "requestBody": _body(_ref("ReportInput")),
                "responses": {"201": _json(_ref("Report"), "Created"),
                              **_errors(400, *AUTH_ERRORS, 409, 422)}}},
            "/reports/{report_id}/review": {"post": {
                "summary": "复核: accept or return (office, admin)",
                "parameters": [_id("report_id")],
                "requestBody": _body(_ref("ReviewInput")),
                "responses": {"200": _json(_ref("Report")),
                              **_errors(400, *AUTH_ERRORS, 409, 422)}}},
        },
    }
