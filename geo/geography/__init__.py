"""Coordinates and geometry: CRS and the Chinese web-map datums (GCJ-02, BD-09, display only), geometry checks and
normalisation, administrative boundaries from a maintained package, and the land-and-water base of the maps."""
