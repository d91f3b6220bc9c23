"""Text out of an uploaded file: .txt (UTF-8 or GB18030), .docx and text PDFs.

Each refusal says what to do instead; nothing here touches the database.
"""
import io
import zipfile
from pathlib import PurePath

from flask_babel import gettext as _

from taskboard.errors import ValidationError

MAX_BYTES = 2 * 1024 * 1024


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Office PCs in China save .txt as GBK/GB18030 unless told otherwise.
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _refuse(_("无法识别文件编码，请另存为 UTF-8 编码的 .txt 文件后再上传。")) from error


def _docx(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise _refuse(_("这个 .docx 文件无法打开，可能已损坏。请用 Word 或 WPS 重新另存后上传。")) \
            from error
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(paragraphs)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise _refuse(_("这个 PDF 文件无法读取，可能已损坏或加密。")) from error


def text_from_upload(filename: str, data: bytes) -> str:
    """The text of an uploaded file, or a ValidationError saying what to do instead."""
    if len(data) > MAX_BYTES:
        raise _refuse(_("文件超过 2 MB。请只上传讲话或纪要正文（如另存为 .txt）。"))
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".doc", ".wps"):
        raise _refuse(_("不支持 .doc 和 .wps 格式。请在 Word 或 WPS 中“另存为” .docx 后上传，"
                        "或直接复制全文粘贴。"))
    if suffix == ".txt":
        text = _decode(data)
    elif suffix == ".docx":
        text = _docx(data)
    elif suffix == ".pdf":
        text = _pdf(data)
        if not text.strip():
            raise _refuse(_("这个 PDF 没有文字层（可能是扫描件）。请上传 Word 原稿，"
                            "或复制文字粘贴到正文框。"))
    else:
        raise _refuse(_("只支持 .txt、.docx 和 PDF 文件。"))
    if not text.strip():
        raise _refuse(_("文件里没有文字内容。"))
    return text.replace("\r\n", "\n").replace("\x00", "")
