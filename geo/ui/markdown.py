"""Text from a file, a link or the data shown in a Streamlit message, as itself and never as markup.

Streamlit renders every message as Markdown with extensions: `$…$` is LaTeX, `:smile:` an emoji,
`:red[…]` coloured text, `:material/home:` an icon, and bare addresses (https://…, www.…, a@b.c) become
links. Backslash escapes stop CommonMark's own syntax and the maths, but the icon and link extensions act
on the text after escapes are removed, so a word joiner (U+2060: invisible, no width, no line break) is
put where they would match: after every colon and @, and inside "www.".
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")
_BREAK_AFTER = re.compile(r"([:@])")
_WWW = re.compile(r"(www)(\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(text: str) -> str:
    """text for st.markdown / st.caption / st.error …, shown exactly as written."""
    text = _BREAK_AFTER.sub(rf"\1{WORD_JOINER}", text)
    text = _WWW.sub(rf"\1{WORD_JOINER}\2", text)
    return _ESCAPED.sub(r"\\\1", text)
