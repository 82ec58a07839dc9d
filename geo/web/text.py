"""The words the browser map shows itself (popups, legend, notices, tools), in both languages.

Sent once inside the catalogue file; plan quotes are data and never translated.
"""

from __future__ import annotations

from geo.i18n import TEXT

_FROM_APP = ("legend", "section", "also", "status", "existence", "phase", "geometry_basis", "accuracy", "user_layer")

BROWSER_TEXT: dict[str, dict[str, str]] = {
    **{key: TEXT[key] for key in _FROM_APP},
    "register_link": {"zh": "在项目登记表中查看", "en": "Show in the project register"},
    "bad_view": {
        "zh": "地址中的地图位置无法识别，已忽略",
        "en": "Ignored an unreadable map position in the link",
    },
    "identify": {"zh": "此处有 {n} 个要素，点击查看", "en": "{n} features here: pick one"},
    "leave_hint": {"zh": "按 Esc 退出演示", "en": "Press Esc to leave"},
    "panel": {"zh": "图层", "en": "Layers"},
    "panel_up": {"zh": "上移", "en": "Draw above"},
    "panel_down": {"zh": "下移", "en": "Draw below"},
    "panel_opacity": {"zh": "不透明度", "en": "Opacity"},
    "timeline": {"zh": "阶段演进", "en": "Phase timeline"},
    "timeline_play": {"zh": "播放", "en": "Play"},
    "timeline_pause": {"zh": "暂停", "en": "Pause"},
    "timeline_close": {"zh": "关闭阶段演进", "en": "Close the timeline"},
    "timeline_note": {"zh": "至此共 {n} 个要素；加粗为本阶段新增", "en": "{n} features by then; bold: new in this step"},
    "stats_view": {"zh": "统计此视图内的要素", "en": "Statistics of this view"},
    "stats_draw": {
        "zh": "画范围统计（单击各角点，双击结束，Esc 取消）",
        "en": "Draw an area for statistics (click corners, double-click to end, Esc to cancel)",
    },
    "print_view": {"zh": "按当前视图生成地图图片", "en": "Map image of this view"},
    "legend_context": {"zh": "（背景）", "en": " (context)"},  # after the names of the classes drawn as context
    "legend_note": {
        "zh": "状态为各规划在其发布时的表述，非现场调查",
        "en": "Statuses are the plans' words at their dates, not surveyed facts",
    },
    "site_open": {"zh": "位置待定（示意）", "en": "site to be decided (schematic)"},
    "aliases": {"zh": "规划中的其他名称", "en": "Also named in the plans"},
    "measure": {
        "zh": "测量距离和面积（单击各点，双击结束；回到起点即闭合算面积；Esc 取消）",
        "en": "Measure a distance or area (click points, double-click to end; back to the start closes an area; Esc cancels)",
    },
    "measure_length": {"zh": "长度 {v} 公里", "en": "length {v} km"},
    "measure_area": {"zh": "面积 {v} 平方公里", "en": "area {v} km²"},
    "lonlat_none": {"zh": "经纬度：—", "en": "lon/lat: —"},
    "zoom_in": {"zh": "放大", "en": "Zoom in"},
    "zoom_out": {"zh": "缩小", "en": "Zoom out"},
    "minimap_hide": {"zh": "隐藏鹰眼图", "en": "Hide the overview map"},
    "minimap_show": {"zh": "显示鹰眼图", "en": "Show the overview map"},
    "lonlat": {"zh": "经纬度", "en": "lon/lat"},
    "fullscreen": {"zh": "全屏", "en": "Full screen"},
    "fullscreen_exit": {"zh": "退出全屏", "en": "Exit full screen"},
    "more_rows": {"zh": "另有 {n} 列", "en": "{n} more columns"},
    "loading": {"zh": "正在载入地图数据…", "en": "Loading the map data…"},
    "card_loading": {"zh": "正在载入规划原文…", "en": "Loading the plans' words…"},
    "card_failed": {"zh": "规划原文载入失败，请稍后再点一次", "en": "The plans' words could not be loaded; click again shortly"},
    "note": {"zh": "备注", "en": "Note"},
    "load_failed": {"zh": "地图数据载入失败，请刷新页面", "en": "The map data could not be loaded; reload the page"},
}
