"""JSON errors for the API: never an HTML page, never a 500 for bad input."""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import db

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         422: "validation_error", 429: "too_many_requests"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return jsonify({"error": error}), status


def wants_json() -> bool:
    return request.path.startswith("/api/")


def http_error(error: HTTPException):
    """For app-level errors (unknown URL, wrong method, too large) under /api/."""
    return error_response(error.code or 500, CODES.get(error.code, "error"),
                          error.description or error.name)


def register_error_handlers(bp: Blueprint) -> None:
    @bp.errorhandler(ApiError)
    def api_error(error: ApiError):
        db.session.rollback()
        return error_response(error.status, error.code, error.message, error.fields)

    @bp.errorhandler(ValidationError)
    def validation_error(error: ValidationError):
        db.session.rollback()
        return error_response(422, "validation_error", _("提交的内容有误。"), error.errors)

    @bp.errorhandler(Conflict)
    def conflict(error: Conflict):
        db.session.rollback()
        return error_response(409, "conflict", error.message)

    @bp.errorhandler(HTTPException)
    def http(error: HTTPException):
        db.session.rollback()
        return http_error(error)
