"""The benchmark's floor: the smallest Streamlit rerun, a multiselect of the four plans and a text saying
what is selected. Run by bench/app_speed.py and bench/load.py; not part of the product.

The labels are app.py's plan-filter labels, in its order (layers/meta/plans.yaml: title, date), written out so
that a rerun does nothing but Streamlit's own work; the benches click the same buttons in both apps.
"""

from __future__ import annotations

import streamlit as st

PLANS = (
    "广东省委、省政府关于贯彻落实《粤港澳大湾区发展规划纲要》的实施意见（2019-07）",
    "珠江口西岸都市圈发展规划（2023-10）",
    "横琴粤澳深度合作区总体发展规划（2023-12）",
    "横琴粤澳深度合作区产业发展规划（2025-2029年）（2025-06）",
)

with st.sidebar:
    chosen = st.multiselect("规划", PLANS, default=PLANS)
st.text(f"{len(chosen)} selected: " + " | ".join(chosen))
