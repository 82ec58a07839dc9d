"""A live OGC API – Features service of the catalogue (pygeoapi): one collection per layer plus `features`
(every layer), filtered by the app's plan, phase, status and layer parameters. `python -m geo.serve`."""
