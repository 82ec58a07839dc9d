"""What a printed map says in words: title and subtitle at the top, source note and CRS at the bottom."""

from __future__ import annotations

from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure

from geo.i18n import phase_label, status_label, t
from geo.print.fonts import font, width_of
from geo.print.layout import PageSize, margins, wrap
from geo.print.mpl_style import INK
from geo.query.selection import Selection
from geo.sources.mapdata import MapData, View
from geo.sources.schema import PHASES, STATUSES

CRS_NOTE = "CGCS2000 · 3° Gauss-Krüger CM 114°E · EPSG:4547"


def draw_title(fig: Figure, page: PageSize, heading: str, subtitle: str, renderer: RendererBase) -> float:
    """Title and subtitle from the top margin; returns where they end (figure fraction)."""
    mx, my = margins(page)
    max_px = (1 - 2 * mx) * fig.bbox.width
    y = 1 - my
    for text, size, color, gid in ((heading, 20, INK, "map-title"), (subtitle, 10, "#555555", "map-subtitle")):
        if not text:
            continue
        prop = font(size * page.scale)
        artist = fig.text(mx, y, wrap(text, max_px, width_of(prop, renderer)), ha="left", va="top")
        artist.set(fontproperties=prop, color=color, gid=gid)
        y = fig.transFigure.inverted().transform((0, artist.get_window_extent(renderer).y0))[1] - 0.003
    return y


class Footer:
    """The source note at the bottom left and the CRS at the bottom right. Its height is reserved before
    the map is drawn (for every plan the selection may cite), its text written after (the plans it does)."""

    def __init__(self, fig: Figure, page: PageSize, renderer: RendererBase):
        self.fig, self.renderer = fig, renderer
        self.left, self.bottom = margins(page)
        self.prop = font(7.5 * page.scale)
        crs = fig.text(1 - self.left, self.bottom, CRS_NOTE, ha="right", va="bottom")
        crs.set(fontproperties=font(6.5 * page.scale), color="#777777", gid="crs-note")
        gap = renderer.points_to_pixels(12 * page.scale)
        self.max_px = (1 - 2 * self.left) * fig.bbox.width - crs.get_window_extent(renderer).width - gap

    def _text(self, note: str) -> str:
        return wrap(note, self.max_px, width_of(self.prop, self.renderer))

    def reserve(self, longest_note: str) -> float:
        """Where the footer's top will be at most (figure fraction)."""
        probe = self.fig.text(self.left, self.bottom, self._text(longest_note), va="bottom", fontproperties=self.prop)
        top = probe.get_window_extent(self.renderer).y1
        probe.remove()
        return self.fig.transFigure.inverted().transform((0, top))[1]

    def draw(self, note: str) -> None:
        text = self.fig.text(self.left, self.bottom, self._text(note), ha="left", va="bottom")
        text.set(fontproperties=self.prop, color="#444444", gid="source-note")


def subtitle(data: MapData, selection: Selection, view: View | None, title: str | None, lang: str) -> str:
    """The product (or the view's name under a custom title), then the filters that narrow the map."""
    parts = [view.label(lang) if view and title else t("title", lang)] if view else []
    everything = Selection.everything(data)
    colon, comma = ("：", "、") if lang == "zh" else (": ", ", ")
    if selection.plans != everything.plans:
        names = [data.plans[p]["short_zh"] if lang == "zh" else p for p in data.plan_order if p in selection.plans]
        parts.append(t("plans", lang) + colon + comma.join(names))
    if selection.phases != everything.phases:
        parts.append(t("phases", lang) + colon + comma.join(phase_label(p.id, lang) for p in PHASES if p.id in selection.phases))
    if selection.statuses != everything.statuses:
        parts.append(
            t("statuses", lang) + colon + comma.join(status_label(s.id, lang) for s in STATUSES if s.id in selection.statuses)
        )
    return " · ".join(parts)
