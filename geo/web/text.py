"""The words the browser map shows itself (popups, legend, notices, tools), in both languages.

Sent once inside the catalogue file; plan quotes are data and never translated.
"""

from __future__ import annotations

from geo.i18n import TEXT

_FROM_APP = ("legend", "section", "status", "phase", "geometry_basis", "accuracy", "user_layer")

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
    "lonlat": {"zh": "经纬度", "en": "lon/lat"},
    "fullscreen": {"zh": "全屏", "en": "Full screen"},
    "fullscreen_exit": {"zh": "退出全屏", "en": "Exit full screen"},
    "more_rows": {"zh": "另有 {n} 列", "en": "{n} more columns"},
    "loading": {"zh": "正在载入地图数据…", "en": "Loading the map data…"},
    "load_failed": {"zh": "地图数据载入失败，请刷新页面", "en": "The map data could not be loaded; reload the page"},
}
