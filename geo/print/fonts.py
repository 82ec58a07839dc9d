"""The one font of printed maps: Noto Sans SC, shipped by a pip package, used by file path.

Never a system font: every text artist gets FontProperties(fname=...) for this file, so a fresh machine
renders the same glyphs. SVG output keeps text as text and names the font (with its common install
names) so a viewer that has it shows it. The font's outlines are CFF, which matplotlib can embed in PDF
only as TrueType: `truetype_subset` converts the glyphs a page uses, at save time.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from matplotlib.backend_bases import RendererBase
from matplotlib.font_manager import FontProperties

# Names a viewer may have the same design under, written into SVG font-family in this order.
FAMILY = ("Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif")
_CURVE_TOLERANCE = 1.0  # font units (1/1000 em): cubic-to-quadratic error, invisible at any print size
_MAXP_ZEROS = (
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
    "maxComponentElements",
)


@cache
def font_path() -> Path:
    """Noto Sans SC Regular from the pylopdf-fonts-zh-cn package (SIL OFL 1.1)."""
    import pylopdf_fonts_zh_cn  # imported lazily: only printing needs it

    return Path(pylopdf_fonts_zh_cn.sans_path())


def font(size: float) -> FontProperties:
    return FontProperties(family=list(FAMILY), fname=font_path(), size=size)


def width_of(prop: FontProperties, renderer: RendererBase) -> Callable[[str], float]:
    """Measures a one-line text's width in the renderer's pixels."""
    return lambda text: renderer.get_text_width_height_descent(text, prop, ismath=False)[0]


@cache
def _codepoints() -> frozenset[int]:
    return frozenset(TTFont(font_path(), lazy=True).getBestCmap())


def missing_glyphs(text: str) -> str:
    """The characters of text (whitespace aside) that the font has no glyph for, each once, in order."""
    covered = _codepoints()
    return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in covered))


def truetype_subset(text: str) -> bytes:
    """A TrueType-outline copy of the font holding only the glyphs of text (for PDF Type 42 embedding)."""
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.recalc_bounds = True
    options.drop_tables += ["VORG"]
    ttfont = subset.load_font(str(font_path()), options, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(ttfont)
    _cff_to_glyf(ttfont)
    out = io.BytesIO()
    ttfont.save(out)
    return out.getvalue()


def _cff_to_glyf(ttfont: TTFont) -> None:
    """Replace CFF cubic outlines by TrueType quadratic ones (as fontTools' otf2ttf snippet does)."""
    order = ttfont.getGlyphOrder()
    glyph_set = ttfont.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, _CURVE_TOLERANCE, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = ttfont["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    ttfont["loca"] = newTable("loca")
    del ttfont["CFF "]
    glyf.compile(ttfont)  # computes each glyph's bounds
    hmtx = ttfont["hmtx"]
    for name in order:
        hmtx[name] = (hmtx[name][0], getattr(glyphs[name], "xMin", 0))
    maxp = ttfont["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in _MAXP_ZEROS:
        setattr(maxp, field, 0)
    maxp.compile(ttfont)
    post = ttfont["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    ttfont.sfntVersion = "\x00\x01\x00\x00"
