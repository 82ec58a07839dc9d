"""(Baseline map only.) A Leaflet control that shows a block of pre-escaped HTML: the legend, the presentation title, the north
arrow and the source note are all one of these."""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template


class HtmlControl(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, position: str, css_class: str):
        """`html` must already be escaped: it is inserted as markup."""
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class


NORTH_ARROW = (
    '<svg width="28" height="40" viewBox="0 0 28 40" aria-label="N">'
    '<polygon points="14,2 24,30 14,24 4,30" fill="#222"/><text x="14" y="39" font-size="11" text-anchor="middle"'
    ' font-family="sans-serif" fill="#222">N</text></svg>'
)
