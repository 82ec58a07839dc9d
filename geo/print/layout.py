"""Page sizes of printed maps and where each part of the page goes (title, map, legend, inset, source).

Boxes are (left, bottom, width, height) in figure fractions. Landscape pages put the legend and inset in
a panel right of the map; portrait pages put them below it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MM_PER_INCH = 25.4
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageSize:
    id: str
    zh: str
    en: str
    width_mm: float
    height_mm: float

    @property
    def inches(self) -> tuple[float, float]:
        return self.width_mm / MM_PER_INCH, self.height_mm / MM_PER_INCH

    def pixels(self, dpi: int) -> tuple[int, int]:
        """Width and height of a PNG of this page at dpi."""
        width, height = self.inches
        return round(width * dpi), round(height * dpi)

    @property
    def portrait(self) -> bool:
        return self.height_mm > self.width_mm

    @property
    def scale(self) -> float:
        """Text and line sizes relative to a 16:9 slide (7.5 in high), by the page's short side."""
        return min(self.inches) / 7.5

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


SIZES: tuple[PageSize, ...] = (
    PageSize("slide", "16:9 幻灯片（13.33×7.5 英寸）", "16:9 slide (13.33 × 7.5 in)", 40 / 3 * MM_PER_INCH, 7.5 * MM_PER_INCH),
    PageSize("a4-landscape", "A4 横向", "A4 landscape", 297, 210),
    PageSize("a4-portrait", "A4 纵向", "A4 portrait", 210, 297),
    PageSize("a3-landscape", "A3 横向", "A3 landscape", 420, 297),
    PageSize("a3-portrait", "A3 纵向", "A3 portrait", 297, 420),
)
SIZE_IDS: tuple[str, ...] = tuple(s.id for s in SIZES)


def page_size(size_id: str) -> PageSize:
    size = next((s for s in SIZES if s.id == size_id), None)
    if size is None:
        raise ValueError(f"unknown size {size_id!r} (known: {', '.join(SIZE_IDS)})")
    return size


def margins(size: PageSize) -> tuple[float, float]:
    """The page margin (0.3 in at slide scale) as figure fractions across and up."""
    width, height = size.inches
    return 0.3 * size.scale / width, 0.3 * size.scale / height


@dataclass(frozen=True)
class Layout:
    map: Box
    panel: Box  # legend, then the inset in the space left


def layout(size: PageSize, top: float, bottom: float) -> Layout:
    """The map and the panel between the title (ending at top) and the source note (starting at bottom)."""
    width, height = size.inches
    mx, _ = margins(size)
    gap_x, gap_y = 0.18 * size.scale / width, 0.15 * size.scale / height
    top, bottom = top - gap_y, bottom + gap_y
    if size.portrait:
        panel_h = 0.27 * (top - bottom)
        return Layout(
            map=(mx, bottom + panel_h + gap_y, 1 - 2 * mx, top - bottom - panel_h - gap_y),
            panel=(mx, bottom, 1 - 2 * mx, panel_h),
        )
    panel_w = 3.0 * size.scale / width
    map_w = 1 - 2 * mx - panel_w - gap_x
    return Layout(map=(mx, bottom, map_w, top - bottom), panel=(mx + map_w + gap_x, bottom, panel_w, top - bottom))


NO_LINE_START = "》〉）」』】、，。；：！？”’),.;:!?"  # punctuation that never begins a line


def wrap(text: str, max_width: float, width_of: Callable[[str], float]) -> str:
    """Break text into lines no wider than max_width, adding up the widths of its characters (width_of
    measures one). A line ends after its last space or punctuation mark when that is in the line's last
    40%; Chinese may break between any two characters, except before closing punctuation (which then
    stays on the line, a little over)."""
    widths: dict[str, float] = {}
    lines: list[str] = []
    line, line_width = "", 0.0
    for char in text:
        width = widths.setdefault(char, width_of(char))
        if line and char not in NO_LINE_START and line_width + width > max_width:
            cut = max(line.rfind(p) for p in " 、，；：,;/") + 1
            if cut < 0.6 * len(line):
                cut = len(line)
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
            line_width = sum(widths[c] for c in line)
            if not line and char.isspace():
                continue
        line += char
        line_width += width
    lines.append(line)
    return "\n".join(lines)
