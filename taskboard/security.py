"""What every request and response goes through: headers, bounded numbers, no NUL bytes, proxies.

One place, so that a page, a file download, a JSON answer and an error page all get the same
protection, and a new view cannot forget it.
"""
from typing import Any

from flask import Flask, Request, Response, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

# Primary keys and integer columns are 32-bit on PostgreSQL; anything larger cannot name a row.
INT_MAX = 2**31 - 1

# No inline script anywhere (scripts are static files); inline style attributes stay allowed
# because Bootstrap markup and the server-side SVG charts use them.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def bounded_int(value: Any) -> int | None:
    """``value`` as an integer a column can hold, else None (for filters: match nothing)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if abs(number) <= INT_MAX else None


class BoundedIntegerConverter(IntegerConverter):
    """``<int:id>`` that does not match past INT_MAX, so such a URL is a 404, not a 500."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(url_map, *args, **kwargs)


class OutOfRange(BadRequest):
    pass


class NulInput(BadRequest):
    pass


class BoundedArgs(ImmutableMultiDict):
    """``get(name, type=int)`` and ``getlist(name, type=int)`` answer 400 for a number no
    column can hold (query strings and forms alike)."""

    def get(self, key, default=None, type=None):
        value = super().get(key, default, type)
        _bounded(key, [value] if type is int else [])
        return value

    def getlist(self, key, type=None):
        values = super().getlist(key, type)
        _bounded(key, values if type is int else [])
        return values


def _bounded(key: str, values: list) -> None:
    if any(isinstance(value, int) and abs(value) > INT_MAX for value in values):
        raise OutOfRange(_("参数“%(name)s”超出范围。", name=key))


class TaskboardRequest(Request):
    parameter_storage_class = BoundedArgs


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refuse_nul_bytes() -> None:
    """PostgreSQL cannot store a NUL in text; no user needs one, so refuse it before any view."""
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    names = [upload.filename or "" for upload in request.files.values()]
    json_body = request.get_json(silent=True) if request.is_json else None
    if any(_has_nul(k) or _has_nul(v) for k, v in fields) or _has_nul(names) \
            or _has_nul(json_body):
        raise NulInput(_("提交的内容含有不允许的控制字符（NUL）。"))


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.request_class = TaskboardRequest
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul_bytes)
    app.after_request(add_headers)
    secure = bool(app.config["SECURE_COOKIES"])
    app.config.update(SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_SECURE=secure)
    if proxies := int(app.config["PROXY_COUNT"]):
        # Behind nginx the client's address is in X-Forwarded-For; trust exactly that many hops.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
