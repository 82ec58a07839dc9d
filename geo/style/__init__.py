"""How features look, wherever they are drawn: layer styles by status, the symbol system, thematic maps, the
basemap registry, and the same styles as QGIS QML."""
