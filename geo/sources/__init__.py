"""The layer sources and what is built from them: the feature model parsed from `layers/*.yaml` (with the line
of every value), the one schema and the wording rules, the plans and their texts for verbatim checks, validation
into one catalogue, the built GeoJSON and catalog.json, and the built layers as everything else reads them."""
