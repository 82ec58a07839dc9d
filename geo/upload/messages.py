"""Every sentence a user may see about an upload, in English and Chinese, in one table.

Each message names the file and is one sentence. Errors stop the upload (UploadError); notes (info or
warning) travel with the result. the README explains each one, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from geo.sources.schema import LAT_RANGE, LON_RANGE

Level = Literal["error", "warning", "info"]

_REGION_EN = f"lon {LON_RANGE[0]:g}–{LON_RANGE[1]:g}°, lat {LAT_RANGE[0]:g}–{LAT_RANGE[1]:g}°"
_REGION_ZH = f"经度 {LON_RANGE[0]:g}–{LON_RANGE[1]:g}°，纬度 {LAT_RANGE[0]:g}–{LAT_RANGE[1]:g}°"


@dataclass(frozen=True)
class Template:
    level: Level
    en: str
    zh: str


MESSAGES: dict[str, Template] = {
    # the file as a whole
    "empty": Template("error", "{name}: the file is empty.", "{name}：文件为空。"),
    "too_large": Template(
        "error",
        "{name}: the file is {size} MB, more than the {limit} MB limit.",
        "{name}：文件大小为 {size} MB，超过 {limit} MB 的上限。",
    ),
    "budget_files": Template(
        "error",
        "{name}: this session already keeps {limit} files, the most it may; remove one to add another.",
        "{name}：本次会话已保留 {limit} 个文件，已达上限；请先移除一个再添加。",
    ),
    "budget_bytes": Template(
        "error",
        "{name}: the session's files would come to {size} MB with it, over the {limit} MB a session may keep; remove one first.",
        "{name}：加上此文件，本次会话的文件共 {size} MB，超过每个会话 {limit} MB 的上限；请先移除一个文件。",
    ),
    "unknown_type": Template(
        "error",
        "{name}: this type of file cannot be read; upload GeoJSON, KML, a zipped Shapefile, GeoPackage or CSV.",
        "{name}：无法读取此类文件；请上传 GeoJSON、KML、zip 压缩的 Shapefile、GeoPackage 或 CSV。",
    ),
    "not_format": Template(
        "error",
        "{name}: the content is not {format}, although the file name says so.",
        "{name}：文件内容不是 {format} 格式，与文件扩展名不符。",
    ),
    "looks_like": Template(
        "error",
        "{name}: the content is not {format} (it looks like {kind}), although the file name says so.",
        "{name}：文件内容不是 {format} 格式（看起来是{kind}），与文件扩展名不符。",
    ),
    "unreadable": Template(
        "error",
        "{name}: the file could not be read as {format}; it may be damaged.",
        "{name}：无法按 {format} 格式读取，文件可能已损坏。",
    ),
    "too_slow": Template(
        "error",
        "{name}: reading it took more than {limit} seconds, so it was stopped; simplify or split the file.",
        "{name}：读取超过 {limit} 秒，已停止；请简化或拆分文件。",
    ),
    "reader_died": Template(
        "error",
        "{name}: reading it needed more than {limit} MB of memory or stopped the reader; the file was refused.",
        "{name}：读取所需内存超过 {limit} MB 或使读取程序中止，文件已拒绝。",
    ),
    "bad_encoding": Template(
        "error",
        "{name}: the text is neither UTF-8 nor GB18030 (GBK); save it as UTF-8.",
        "{name}：文本既不是 UTF-8 也不是 GB18030（GBK）编码；请另存为 UTF-8。",
    ),
    "too_many_features": Template(
        "error",
        "{name}: it has more than {limit} features; split or simplify it.",
        "{name}：要素超过 {limit} 个；请拆分或简化文件。",
    ),
    "no_features": Template("error", "{name}: it holds no features.", "{name}：文件中没有要素。"),
    "no_geometry": Template("error", "{name}: no feature has a usable geometry.", "{name}：所有要素均没有可用的几何图形。"),
    # layers
    "no_layers": Template("error", "{name}: it holds no map layer.", "{name}：文件中没有地图图层。"),
    "several_layers": Template(
        "error", "{name}: it holds several layers ({layers}); choose one.", "{name}：文件包含多个图层（{layers}）；请选择一个。"
    ),
    "no_such_layer": Template(
        "error",
        "{name}: it has no layer named {layer}; choose one of {layers}.",
        "{name}：没有名为 {layer} 的图层；请从 {layers} 中选择。",
    ),
    # GeoJSON and KML
    "too_deep": Template(
        "error", "{name}: the JSON is nested more than {limit} levels deep.", "{name}：JSON 嵌套超过 {limit} 层。"
    ),
    "bad_json": Template(
        "error",
        "{name}: the JSON is malformed at line {line}, column {column} ({reason}).",
        "{name}：JSON 格式错误，位于第 {line} 行第 {column} 列（{reason}）。",
    ),
    "not_geojson": Template(
        "error",
        "{name}: the JSON is not GeoJSON (a FeatureCollection, Feature or geometry).",
        "{name}：该 JSON 不是 GeoJSON（FeatureCollection、Feature 或几何对象）。",
    ),
    "xml_doctype": Template(
        "error",
        "{name}: KML with a DOCTYPE or entity declaration is refused; remove the <!DOCTYPE …> part.",
        "{name}：含 DOCTYPE 或实体声明的 KML 不予读取；请删除 <!DOCTYPE …> 部分。",
    ),
    "gpkg_views": Template(
        "error",
        "{name}: the GeoPackage holds SQL views, which are not read; export its layers as plain tables.",
        "{name}：该 GeoPackage 含有 SQL 视图，不予读取；请将图层导出为普通数据表。",
    ),
    # zipped Shapefile
    "bad_zip": Template("error", "{name}: it is not a valid zip archive.", "{name}：不是有效的 zip 压缩包。"),
    "zip_encrypted": Template(
        "error",
        "{name}: the zip is password-protected; zip it again without a password.",
        "{name}：zip 压缩包设有密码；请不加密重新压缩。",
    ),
    "zip_unsafe": Template(
        "error",
        "{name}: the zip holds {member}, a link or a path leading outside the zip's folder, so it was refused.",
        "{name}：zip 压缩包中的 {member} 是链接或指向压缩包目录之外的路径，已拒绝。",
    ),
    "zip_too_many": Template(
        "error",
        "{name}: the zip holds {count} files, more than the limit of {limit}.",
        "{name}：zip 压缩包含 {count} 个文件，超过 {limit} 个的上限。",
    ),
    "zip_too_big": Template(
        "error",
        "{name}: the zip expands to {size} MB, more than the {limit} MB limit.",
        "{name}：zip 解压后为 {size} MB，超过 {limit} MB 的上限。",
    ),
    "zip_ratio": Template(
        "error",
        "{name}: the zip expands to {ratio} times its size, more than the limit of {limit} times.",
        "{name}：zip 解压后为原大小的 {ratio} 倍，超过 {limit} 倍的上限。",
    ),
    "zip_no_shp": Template("error", "{name}: the zip holds no Shapefile (.shp).", "{name}：zip 压缩包中没有 Shapefile（.shp）。"),
    "shp_incomplete": Template(
        "error",
        "{name}: {layer}.shp lacks {missing}; zip the .shp, .shx and .dbf files together.",
        "{name}：{layer}.shp 缺少 {missing}；请将 .shp、.shx、.dbf 文件一起压缩。",
    ),
    # CSV
    "csv_no_columns": Template(
        "error",
        "{name}: no coordinate columns found; name them lon and lat (or 经度 and 纬度), or wkt.",
        "{name}：未找到坐标列；请将列命名为 lon 和 lat（或 经度 和 纬度），或 wkt。",
    ),
    "csv_ragged": Template(
        "error",
        "{name}: line {line} has a different number of fields ({count}) from the header ({expected}).",
        "{name}：第 {line} 行有 {count} 个字段，而表头有 {expected} 个。",
    ),
    "csv_unreadable": Template(
        "error",
        "{name}: no row has coordinates that can be read (numbers, or WKT); line {line} has {value}.",
        "{name}：没有任何一行的坐标可以读取（数字或 WKT）；第 {line} 行为 {value}。",
    ),
    "csv_unparsable": Template(
        "error", "{name}: the CSV cannot be read at line {line} ({reason}).", "{name}：CSV 在第 {line} 行无法读取（{reason}）。"
    ),
    # coordinates and CRS
    "projected": Template(
        "error",
        "{name}: the coordinates look projected (e.g. metres) and the file has no CRS; give its EPSG code.",
        "{name}：坐标看起来是投影坐标（如以米为单位），而文件没有坐标系；请提供其 EPSG 代码。",
    ),
    "projected_hint": Template(
        "error",
        "{name}: the coordinates look projected (e.g. metres) and the file has no CRS; give its EPSG code "
        "({codes} would place them in the plans' region).",
        "{name}：坐标看起来是投影坐标（如以米为单位），而文件没有坐标系；请提供其 EPSG 代码（{codes} 可使其落在规划范围内）。",
    ),
    "out_of_range": Template(
        "error",
        "{name}: coordinates such as {point} lie beyond ±180° longitude or ±90° latitude; check the CRS and the lon/lat order.",
        "{name}：坐标（如 {point}）超出经度 ±180°、纬度 ±90° 的范围；请检查坐标系和经纬度顺序。",
    ),
    "bad_crs": Template(
        "error",
        "{name}: {crs} is not a known EPSG code; give one such as EPSG:4547.",
        "{name}：{crs} 不是有效的 EPSG 代码；请提供如 EPSG:4547 的代码。",
    ),
    "bad_datum": Template(
        "error",
        "{name}: the datum {datum} is unknown; use wgs84, gcj02 or bd09.",
        "{name}：未知的坐标基准 {datum}；请使用 wgs84、gcj02 或 bd09。",
    ),
    "reprojection_failed": Template(
        "error",
        "{name}: its coordinates cannot be converted from {crs} to WGS84; check the CRS.",
        "{name}：无法将坐标从 {crs} 转换为 WGS84；请检查坐标系。",
    ),
    "not_numbers_all": Template(
        "error",
        "{name}: no feature has usable coordinates; those of {feature} are not numbers (NaN or infinity).",
        "{name}：没有要素具有可用的坐标；{feature}的坐标不是数字（NaN 或无穷大）。",
    ),
    "antimeridian": Template(
        "error",
        "{name}: {feature} crosses the 180° meridian, far from this map of southern China; check its coordinates.",
        "{name}：{feature}跨越 180° 经线，远离本图所示的华南地区；请检查其坐标。",
    ),
    # notes: what was done to the data
    "decoded": Template(
        "info", "{name}: the text is not UTF-8; decoded it as {encoding}.", "{name}：文本不是 UTF-8 编码，已按 {encoding} 解码。"
    ),
    "csv_columns": Template("info", "{name}: read the coordinates from {columns}.", "{name}：坐标读取自列 {columns}。"),
    "csv_dropped_rows": Template(
        "warning",
        "{name}: rows with missing or unreadable coordinates dropped: {count} (the first on line {line}).",
        "{name}：已删除坐标缺失或无法识别的行：{count} 行（第一处在第 {line} 行）。",
    ),
    "assumed_wgs84": Template(
        "info",
        "{name}: the file has no CRS; read it as WGS84 (EPSG:4326).",
        "{name}：文件没有坐标系，已按 WGS84（EPSG:4326）读取。",
    ),
    "crs_replaced": Template(
        "info",
        "{name}: used {crs} as given instead of the file's CRS ({file_crs}).",
        "{name}：已按指定的 {crs} 读取，而非文件自带的坐标系（{file_crs}）。",
    ),
    "reprojected": Template("info", "{name}: reprojected from {crs} to WGS84.", "{name}：已从 {crs} 转换为 WGS84。"),
    "swapped": Template(
        "warning",
        "{name}: the coordinates were in lat, lon order; swapped them to lon, lat.",
        "{name}：坐标为“纬度, 经度”顺序，已调换为“经度, 纬度”。",
    ),
    "datum_converted": Template(
        "info", "{name}: converted the coordinates from {datum} to WGS84.", "{name}：已将坐标从 {datum} 转换为 WGS84。"
    ),
    "not_numbers": Template(
        "warning",
        "{name}: features whose coordinates are not numbers (NaN or infinity) dropped: {count} (the first is {feature}).",
        "{name}：已删除坐标不是数字（NaN 或无穷大）的要素：{count} 个（第一个是{feature}）。",
    ),
    "dropped_no_geometry": Template(
        "warning",
        "{name}: features without a usable geometry dropped: {count}.",
        "{name}：已删除没有可用几何图形的要素：{count} 个。",
    ),
    "repaired": Template("warning", "{name}: invalid geometries repaired: {count}.", "{name}：已修复无效几何图形：{count} 个。"),
    "columns_capped": Template(
        "warning", "{name}: kept the first {limit} of its {count} columns.", "{name}：共 {count} 列，仅保留前 {limit} 列。"
    ),
    "values_capped": Template(
        "warning",
        "{name}: values longer than {limit} characters shortened: {count}.",
        "{name}：已截短超过 {limit} 个字符的属性值：{count} 个。",
    ),
    "partly_outside": Template(
        "warning",
        "{name}: features outside the plans' region: {count} of {total}.",
        "{name}：位于规划范围之外的要素：{count} 个（共 {total} 个）。",
    ),
    "outside_region": Template(
        "warning",
        f"{{name}}: no feature lies in the plans' region ({_REGION_EN}); check the CRS and the datum.",
        f"{{name}}：没有要素位于规划范围内（{_REGION_ZH}）；请检查坐标系和坐标基准。",
    ),
}


@dataclass(frozen=True)
class Bilingual:
    """A value that reads differently in each language (a feature's description, what a file looks like)."""

    en: str
    zh: str


@dataclass(frozen=True)
class Message:
    key: str
    level: Level
    en: str
    zh: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class UploadError(Exception):
    """An upload that cannot be shown; str() is the message for the user, in Chinese then English."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message

    @property
    def key(self) -> str:
        return self.message.key

    @property
    def en(self) -> str:
        return self.message.en

    @property
    def zh(self) -> str:
        return self.message.zh

    def text(self, lang: str) -> str:
        return self.message.text(lang)


def message(key: str, **values: object) -> Message:
    template = MESSAGES[key]
    en = {k: v.en if isinstance(v, Bilingual) else v for k, v in values.items()}
    zh = {k: v.zh if isinstance(v, Bilingual) else v for k, v in values.items()}
    return Message(key, template.level, template.en.format(**en), template.zh.format(**zh))


def fail(key: str, **values: object) -> UploadError:
    """The error to raise: `raise fail("empty", name=name)`."""
    return UploadError(message(key, **values))
