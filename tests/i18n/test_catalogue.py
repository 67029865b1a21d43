"""The message catalogue: complete in vi, compiled, and used by the code as written."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

from parindex.locale import HERE, build, compile_mo, parse_po
from parindex.locale.extract import extract, missing, scan, translations
from parindex.model.errors import YearNotCoveredError
from parindex.model.i18n import (
    LOCALES,
    TEMPLATES,
    check_locale,
    current_locale,
    locale_from_env,
    localize,
    ngettext,
    using_locale,
)
from parindex.model.i18n import gettext as tr

ROOT = Path(__file__).resolve().parents[2]
FIELD = re.compile(r"\{(\w+)\}")


def test_the_shipped_mo_files_are_compiled_from_the_po_files() -> None:
    # a .po edited without `python tools/compile_catalogues.py` leaves the .mo stale: this fails
    assert build(check=True) == []


def test_every_marked_message_has_a_vietnamese_translation() -> None:
    lacking = missing(ROOT, "vi")
    assert lacking == [], "untranslated (run python -m parindex.locale.extract):\n" + "\n".join(
        f"{m.file}:{m.line}: {m.msgid!r}" for m in lacking
    )


def test_the_extractor_finds_the_messages_of_the_code() -> None:
    messages, labels = extract(ROOT)
    ids = {m.msgid for m in messages}
    # a few chosen by hand from different modules and marker styles
    assert "given" in ids  # N_ in a dict (report/card.py)
    assert "sum of {codes}" in ids  # _() in the scoring layer
    assert "no PAPI rows to group" in ids  # a plugin
    assert any(m.plural == "{count} nodes" for m in messages)  # ngettext
    assert labels, "the bilingual Text/T labels are found too"


def test_every_bilingual_label_in_the_code_has_vietnamese() -> None:
    _, labels = extract(ROOT)
    empty = [f"{lb.file}:{lb.line}: {lb.en!r}" for lb in labels if lb.en and not lb.vi]
    assert empty == []


def test_the_extractor_reads_literals_only(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text(
        "from parindex.model.i18n import N_, gettext as _, ngettext\n"
        "a = _('one')\nb = _(name)\nc = ngettext('{n} x', '{n} xs', 2)\n"
        "d = T('Mã', 'Code')\ne = Text(en='No vi')\nf = Text()\n",
        encoding="utf-8",
    )
    messages, labels = scan(src)
    assert [(m.msgid, m.plural) for m in messages] == [("one", None), ("{n} x", "{n} xs")]
    assert sorted((lb.en, lb.vi) for lb in labels) == [("Code", "Mã"), ("No vi", None)]


def test_translations_keep_every_field_of_their_message() -> None:
    # a translation that drops or renames {year} would raise KeyError (or lose the value) when
    # formatted; one with a field the msgid lacks could not be filled at all
    bad = []
    for msgid, msgstr in translations("vi").items():
        if not msgid:
            continue  # the header
        for text in msgstr.split("\0"):
            if sorted(FIELD.findall(text)) != sorted(FIELD.findall(msgid)):
                bad.append((msgid, text))
    assert bad == []


def test_the_compiled_catalogue_reads_back_with_the_stdlib() -> None:
    po = HERE / "vi" / "LC_MESSAGES" / "parindex.po"
    entries = parse_po(po.read_text(encoding="utf-8"))
    mo = compile_mo(entries)
    import io

    catalogue = gettext.GNUTranslations(io.BytesIO(mo))
    singular = [e for e in entries if e.msgid and e.plural is None]
    assert singular
    for e in singular:
        assert catalogue.gettext(e.msgid) == e.msgstr
    assert catalogue.gettext("a message nobody wrote") == "a message nobody wrote"


def test_po_strings_with_escapes_and_continuations() -> None:
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "old"\nmsgstr "cũ"\n\n'
        'msgid "say \\"hi\\""\n"\\tthere"\nmsgstr "nói \\"chào\\"\\t"\n'
    )
    entries = parse_po(text)
    assert [(e.msgid, e.msgstr, e.fuzzy) for e in entries[1:]] == [
        ("old", "cũ", True),
        ('say "hi"\tthere', 'nói "chào"\t', False),
    ]
    import io

    catalogue = gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))
    assert catalogue.gettext("old") == "old"  # fuzzy: left out, as msgfmt does
    assert catalogue.gettext('say "hi"\tthere') == 'nói "chào"\t'


def test_glossary_terms_are_used() -> None:
    # the sources' words (shared/domain.md glossary), not paraphrases
    vi = translations("vi")
    assert vi["Maximum"] == "Điểm tối đa"
    assert vi["Self-assessed"] == "Tự đánh giá"
    assert vi["Appraised"] == "Thẩm định"
    assert vi["not applicable"] == "không phát sinh"
    assert vi["Group"] == "Nhóm"
    assert vi["Rank"] == "Xếp hạng"


# ------------------------------------------------------------------------- the current locale
def test_locale_is_a_context_variable_restored_after_use() -> None:
    assert current_locale() == "en"
    with using_locale("vi"):
        assert tr("Maximum") == "Điểm tối đa"
        assert ngettext("{count} node", "{count} nodes", 3).format(count=3) == "3 tiêu chí"
    assert tr("Maximum") == "Maximum"
    assert tr("Maximum", "vi") == "Điểm tối đa"


def test_unknown_locale_is_an_error_listing_the_known_ones() -> None:
    from parindex.model.i18n import UnknownLocaleError

    with pytest.raises(UnknownLocaleError, match="the locales are: en, vi"):
        check_locale("fr")
    with pytest.raises(UnknownLocaleError, match="'xx' is not a known locale"):
        locale_from_env({"PARINDEX_LOCALE": "xx"})


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"PARINDEX_LOCALE": "vi"}, "vi"),
        ({"PARINDEX_LOCALE": "en", "LANG": "vi_VN.UTF-8"}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LC_ALL": "vi_VN", "LANG": "en_US.UTF-8"}, "vi"),
        ({"LANG": "C.UTF-8"}, "en"),  # a system locale parindex does not speak: not an error
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_default_locale_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert locale_from_env(environ) == expected
    assert expected in LOCALES


def test_finished_english_sentences_are_translated_when_shown() -> None:
    err = YearNotCoveredError("sonla.department", 2026, [2021, 2022])
    assert str(err) == (
        "ruleset 'sonla.department' has no version for year 2026; years available: 2021, 2022"
    )
    with using_locale("vi"):
        shown = str(err)
    assert shown == (
        "bộ tiêu chí 'sonla.department' không có phiên bản cho năm 2026; các năm có: 2021, 2022"
    )
    assert err.message.startswith("ruleset 'sonla.department'")  # programs keep the English


def test_localize_leaves_other_text_alone_and_handles_a_code_prefix() -> None:
    assert localize("something parindex never says", "vi") == "something parindex never says"
    assert localize("1.2: evidence required, but no document was given", "vi") == (
        "1.2: cần tài liệu kiểm chứng nhưng chưa có tài liệu nào"
    )
    assert localize("this ruleset publishes no group bands", "en") == (
        "this ruleset publishes no group bands"
    )


def test_every_template_is_translated_and_matches_itself() -> None:
    # a template filled with its own field names must be recognised again
    for template in TEMPLATES:
        sample = FIELD.sub(lambda m: f"<{m.group(1)}>", template)
        out = localize(sample, "vi")
        assert out != sample, template
        for name in FIELD.findall(template):
            assert f"<{name}>" in out, (template, out)
