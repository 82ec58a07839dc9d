"""The docs document what the build makes (every layer with its current count), the README opens with the
two commands, and every link between the docs and every image they show exists."""

from __future__ import annotations

import json
import re

from geo.paths import OUTPUT_DIR, ROOT


def test_developing_guide_lists_every_layer_with_its_count():
    readme = (ROOT / "docs" / "developing.md").read_text(encoding="utf-8")
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


def test_developing_guide_explains_every_phase_basis():
    from geo.sources.schema import PHASE_BASES

    readme = (ROOT / "docs" / "developing.md").read_text(encoding="utf-8")
    for basis in PHASE_BASES:
        assert f"`{basis.id}`" in readme and basis.zh in readme, f"README does not explain phase_basis {basis.id}"


def test_every_local_link_and_image_in_the_docs_exists():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which is missing"
