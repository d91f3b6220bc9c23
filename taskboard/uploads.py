"""A form over the request size limit answers on its own page, with what was typed kept.

Werkzeug refuses such a request (413) before reading it, so a bare error page would lose a
report typed for half an hour. Instead the text fields are read (the files are discarded
unread), the page's view runs again with them and no files, and the form's file fields say
why: :class:`WithinLimit` fails them, so the form is shown again and nothing is saved.
"""
import io

from flask import Flask, current_app, g, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import parse_form_data
from wtforms.validators import StopValidation

from taskboard.extensions import csrf

# Bodies beyond this many times the limit are not read at all: answering costs reading them.
READ_AT_MOST = 4


class _Discard(io.BytesIO):
    """Where a refused file's bytes go: nowhere."""

    def write(self, data) -> int:
        return len(data)


class WithinLimit:
    """A file field's first validator: fails when the request was over the size limit."""

    def __call__(self, form, field) -> None:
        if message := g.get("upload_refused"):
            field.errors[:] = []
            raise StopValidation(message)


def limit_text() -> str:
    return f"{current_app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB"


def answer_on_the_page(error: RequestEntityTooLarge, fallback):
    """The 413 handler: the page itself, with its text fields, when it is a form post."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    view = current_app.view_functions.get(request.endpoint or "")
    if (view is None or request.method != "POST" or request.mimetype != "multipart/form-data"
            or (request.content_length or 0) > READ_AT_MOST * limit):
        return fallback(error)
    _stream, form, _files = parse_form_data(
        request.environ, stream_factory=lambda *_args, **_kwargs: _Discard(),
        max_form_memory_size=current_app.config.get("MAX_FORM_MEMORY_SIZE"))
    request.__dict__.update(form=form, files=MultiDict())
    try:  # the check CSRFProtect could not make before the body was refused
        csrf.protect()
    except CSRFError:
        return fallback(error)
    g.upload_refused = _("上传的文件合计超过 %(limit)s 的上限，没有保存。已填写的内容保留在下面，"
                         "请减小或减少文件后再提交。", limit=limit_text())
    return current_app.ensure_sync(view)(**(request.view_args or {}))


def init_app(app: Flask, fallback) -> None:
    app.register_error_handler(RequestEntityTooLarge,
                               lambda error: answer_on_the_page(error, fallback))
