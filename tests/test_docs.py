"""The README documents what the build makes: every layer with its current feature count."""

from __future__ import annotations

import json
import re

from geo.paths import OUTPUT_DIR, ROOT


def test_readme_lists_every_layer_with_its_count():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    catalog = json.loads((OUTPUT_DIR / "catalog.json").read_text(encoding="utf-8"))
    for layer in catalog["layers"]:
        row = re.search(rf"^\| `{re.escape(layer['id'])}` \|.*\| (\d+) \|$", readme, re.M)
        assert row, f"README's layer table lacks {layer['id']}"
        assert int(row.group(1)) == layer["count"], (
            f"README says {row.group(1)} features for {layer['id']}, the build has {layer['count']}"
        )


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt && streamlit run app.py" in readme
    assert "pip install -r requirements.txt && pytest" in readme


def test_readme_explains_every_phase_basis():
    from geo.schema import PHASE_BASES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for basis in PHASE_BASES:
        assert f"`{basis.id}`" in readme and basis.zh in readme, f"README does not explain phase_basis {basis.id}"
