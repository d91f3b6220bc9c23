"""Evidence files: the type is read from the content, and the name must agree with it.

A name that disagrees (``report.html`` holding a PDF, ``photo.svg`` starting like a GIF) is
refused: a browser or a desktop that trusts the name would open it as something else.
"""
import zipfile
from io import BytesIO
from pathlib import PurePath

from flask_babel import gettext as _

from taskboard.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024

_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),  # .doc .xls .ppt .wps
]
_OFFICE_XML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff(data: bytes) -> str | None:
    """The content type of ``data``, or None when it is not an accepted kind of file."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "OFD.xml" in names:  # GB/T 33190, the Chinese fixed-layout document
            return "application/ofd"
        if "[Content_Types].xml" in names:
            for prefix, content_type in _OFFICE_XML.items():
                if any(name.startswith(prefix) for name in names):
                    return content_type
    return None


def _family(content_type: str) -> str:
    if content_type.startswith("image/"):
        return "image"
    return content_type


# The extensions each family of sniffed content may carry. An OLE2 compound file is the same
# container for Word, Excel, PowerPoint and WPS (.wps .et .dps), so any of them fits; likewise
# the zip-based Office formats. SVG is never an image here: it is a script-capable document.
_OOXML = (".docx", ".xlsx", ".pptx")
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image": (".png", ".jpg", ".jpeg", ".gif"),
    "application/msword": (".doc", ".xls", ".ppt", ".wps", ".et", ".dps"),
    "application/ofd": (".ofd",),
    **{content_type: _OOXML for content_type in _OFFICE_XML.values()},
}


def check(filename: str, data: bytes) -> tuple[str, str]:
    """(safe file name, content type) of an acceptable file, or a ValidationError."""
    name = PurePath((filename or "").replace("\\", "/")).name[:255] or "file"
    if len(data) > MAX_BYTES:
        raise ValidationError({"files": _("“%(name)s”超过 10 MB。", name=name)})
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError({"files": _(
            "“%(name)s”不是 PDF、图片或 Office 文件，不能作为佐证材料。", name=name)})
    allowed = EXTENSIONS[_family(content_type)]
    if PurePath(name).suffix.lower() not in allowed:
        raise ValidationError({"files": _(
            "“%(name)s”的扩展名与文件内容不符：这个文件只能用 %(extensions)s 扩展名。",
            name=name, extensions=" ".join(allowed))})
    return name, content_type
