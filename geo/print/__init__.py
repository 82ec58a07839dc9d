"""Print-quality map images (`python -m geo.print`): a thematic map drawn by matplotlib, no browser, no tiles.

`render.py` draws the page (`render_map`, the command line); around it: `layout.py` (page sizes and frames),
`geometry.py` (features in metres, EPSG:4547), `base_layers.py` (land and water), `symbols.py` (the one symbol
system as matplotlib artists), `legend_model.py` (the legend from what is drawn), `text.py` (titles, notes),
`map_furniture.py` (scale bar, north arrow, inset), `label_placement.py` (names that do not collide),
`mpl_style.py`, `fonts.py` (the CJK font from a package) and `docs_images.py` (the images in docs/).
"""
