"""geo.ui.markdown.plain: text shown in Streamlit messages stays text (no maths, emoji, icons, links, markup)."""

from __future__ import annotations

import re

import pytest

from geo.ui.markdown import WORD_JOINER, plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$x^2$.geojson", r"\$x^2\$\.geojson"),
        ("a_b*c*[d](e).kml", r"a\_b\*c\*\[d\]\(e\)\.kml"),
        ("<b>x</b> & y", r"\<b\>x\</b\> \& y"),
        (":smile: :red[x]", f":{WORD_JOINER}smile:{WORD_JOINER} :{WORD_JOINER}red\\[x\\]"),
        (":material/home:", f":{WORD_JOINER}material/home:{WORD_JOINER}"),
        ("https://a.b", f"https:{WORD_JOINER}//a\\.b"),
        ("WWW.a.b me@a.b", f"WWW{WORD_JOINER}\\.a\\.b me@{WORD_JOINER}a\\.b"),
        ("横琴口岸.csv：第 3 行", r"横琴口岸\.csv：第 3 行"),
    ],
)
def test_plain_escapes_every_markdown_control(text, expected):
    assert plain(text) == expected


def test_plain_text_reads_the_same_once_escapes_and_joiners_are_removed():
    text = r"$a$ \b `c` *d* _e_ #f +g -h .i !j |k ~l <m> {n} &o :p: q@r www.s"
    shown = re.sub(r"\\(.)", r"\1", plain(text)).replace(WORD_JOINER, "")
    assert shown == text
