"""How messages name one feature of a file: its number in the file, and its name when it has one."""

from __future__ import annotations

import geopandas

from geo.upload.messages import Bilingual

NAME_COLUMNS = ("name", "名称", "NAME", "Name", "title", "标题")  # the attribute that names a feature, if any
MAX_NAME_CHARS = 40


def feature_name(values: dict[str, object]) -> str | None:
    for key in NAME_COLUMNS:
        if values.get(key) not in (None, ""):
            return str(values[key])
    return None


def describe_feature(frame: geopandas.GeoDataFrame, label: object) -> Bilingual:
    """The feature at index label (the readers number features 0, 1, … in file order), as "feature 3 (“name”)"."""
    number = int(label) + 1
    name = feature_name(frame.loc[label].to_dict())
    if name is None:
        return Bilingual(f"feature {number}", f"第 {number} 个要素")
    if len(name) > MAX_NAME_CHARS:
        name = name[:MAX_NAME_CHARS] + "…"
    return Bilingual(f"feature {number} (“{name}”)", f"第 {number} 个要素（“{name}”）")
