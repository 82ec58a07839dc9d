"""The web map: one Leaflet map in the browser that filters, styles and explains the catalogue itself.

Python publishes the catalogue once as content-hashed static files (`catalogue_file`: a map file per coordinate
system and one cards file, fetched when the first card opens), hands the map a
small state object per rerun (`state`), and hosts the map as a Streamlit component (`component`, with its
HTML/JS in `frontend/`); users' overlays travel as static files too (`overlay_files`), and the Leaflet and
plugin assets are served by the app itself (`assets`; `offline` writes them from the
folium-offline package into the static folder: `python -m geo.web.offline`).
"""
