"""Rules about the code itself, checked in CI like behaviour: every function stays small enough
to read (radon), and every UI string has its English translation (pybabel)."""
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "taskboard"
ENGLISH = PACKAGE / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# Radon's grade C ends at 20; a function past it is split into named steps.
MAX_COMPLEXITY = 20


def test_no_function_in_the_package_is_above_complexity_20() -> None:
    too_complex = [
        f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname} ({block.complexity})"
        for path in sorted(PACKAGE.rglob("*.py"))
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY
    ]
    assert not too_complex, "split into named steps:\n" + "\n".join(too_complex)


def test_every_extracted_message_has_an_english_translation(tmp_path: Path) -> None:
    """What `make translations` extracts (babel.cfg, keyword _l) is in the English catalogue,
    translated and not a fuzzy guess of pybabel's."""
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                "-k", "_l", "-o", str(template), str(ROOT)])
    with template.open("rb") as extracted, ENGLISH.open("rb") as catalogue:
        messages, english = read_po(extracted), read_po(catalogue)
    gaps = []
    for message in messages:
        if not message.id:
            continue  # the header
        where = " ".join(f"{path}:{line}" for path, line in message.locations)
        translated = english.get(message.id, message.context)
        strings = () if translated is None else (
            translated.string if isinstance(translated.string, tuple) else (translated.string,))
        if translated is None:
            gaps.append(f"missing: {message.id!r} ({where})")
        elif translated.fuzzy or not all(strings):
            gaps.append(f"untranslated: {message.id!r} ({where})")
    assert len(messages) > 100  # the extraction found the UI
    assert not gaps, ("run `make translations`, then translate in "
                      f"{ENGLISH.relative_to(ROOT)}:\n" + "\n".join(gaps))
