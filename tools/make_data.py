"""Generate the demo sources and the test fixture workbooks of publisher.

Run from the repository root (or anywhere; paths are relative to this file)::

    python tools/make_data.py

It (re)writes, deterministically (seeded random, fixed ZIP and document dates,
so two runs give byte-identical files):

catalogs/jinan/            a city project for 济南市, year 2019
    publisher.yaml           project config (SPEC §3)
    catalog-2019.xlsx        the catalog as a bureau types it (merged school cells)
    catalog-2018.yaml        last year's catalog, for the list of changes
    registrations.xlsx       附件2 登记汇总表, 40 students
    admissions.xlsx          录取名单, 34 of those students, with 报到时间/报到地点
    progress-2019H1.xlsx     附件1 进展情况表, first half of 2019
catalogs/province/         the provincial office's project
    publisher.yaml
    notice.yaml              the seed notice, word for word, with its enclosure
    returns/*.xlsx           附件1 returned by five cities for 2019-H1, each typed
                             differently; 烟台市 is late, 潍坊市's 总计 is wrong
tests/data/good/           small clean sources: catalog.yaml, registrations.xlsx,
                           progress.xlsx (+ *.expected.json, all empty lists)
tests/data/broken/         sources with known mistakes and *.expected.json listing
                           what a checker must report ({row, column, code, level}
                           for workbooks, {line, code, level} for YAML)

All personal data is invented: 身份证号 carry a correct GB 11643 check character,
real Shandong county codes and plausible birth dates; nobody here exists.
Requires openpyxl and PyYAML.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import zipfile
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parent.parent
FIXED = dt.datetime(2019, 2, 20, 9, 0, 0)

# ---------------------------------------------------------------------------
# ID numbers, phones, names
# ---------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character of a 17-digit prefix."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def make_id(rng: random.Random, region: str, birth: dt.date, gender: str) -> str:
    """A well-formed 18-character ID: odd 17th digit for 男, even for 女."""
    digit = rng.choice("13579" if gender == "男" else "02468")
    body = f"{region}{birth:%Y%m%d}{rng.randint(0, 99):02d}{digit}"
    return body + id_check_char(body)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 176 177 178 180 181 182 183 184 185 186 187 188 189 198 199"
).split()


def make_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"


SURNAMES = (
    "王王王王张张张李李李刘刘陈杨杨赵赵孙孙马徐高高孟田郭吕于于朱宋董韩魏曹崔贾尹"
    "房吴袁石谢鹿巩毕侯秦"
)
LOCAL_SURNAMES = {"莱芜区": "亓亓亓吕张", "平阴县": "孟孔", "商河县": "商殷", "长清区": "马"}
MALE_GIVEN = (
    "浩 宇轩 子豪 俊杰 明辉 志强 家乐 鑫 磊 鹏飞 文博 晨阳 一鸣 振华 凯 帅 超 瑞 嘉豪 "
    "天宇 昊天 金龙 海洋 兆辉 庆涛 乐 新宇 传志 成龙 子涵 佳豪 洪亮 玉坤 宝森 浩然 博文 "
    "泽宇 子轩 家豪 永强 建伟 广鑫 继超 春雷 延龙 耀 宏伟 志鹏 文杰 亚龙 学文 晓东 "
    "庆华 金鹏 世豪 兴旺 俊豪 新民 德胜 长青"
).split()
FEMALE_GIVEN = (
    "欣怡 雨萱 婷婷 佳琪 晓雪 梦瑶 静 娜 倩 思雨 诗涵 慧敏 丽娜 雪梅 玉洁 文静 "
    "晓燕 艳 一诺 可欣 梦洁 新月 春燕 嘉欣 雅琪 晓萌 心怡 梦雪 文慧 美琪 明月 凤霞 "
    "秀娟 玉婷 敏 莉 甜甜 晴 琳 子怡"
).split()


class Names:
    """Unique realistic names drawn from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.given: set[str] = set()

    def __call__(self, gender: str, county: str = "") -> str:
        pool = MALE_GIVEN if gender == "男" else FEMALE_GIVEN
        surnames = SURNAMES + LOCAL_SURNAMES.get(county, "")
        for attempt in range(1000):
            given = self.rng.choice(pool)
            name = self.rng.choice(surnames) + given
            # prefer given names not used yet in this file; repeats only when the pool runs dry
            if name not in self.used and (given not in self.given or attempt > 200):
                self.used.add(name)
                self.given.add(given)
                return name
        raise RuntimeError("name pool exhausted")


# ---------------------------------------------------------------------------
# Places: rural parts of 济南市 (2019 boundaries). `id` is the code that IDs
# issued at birth (around 2000) carry, `card` the county code in 扶贫卡编号
# (cards issued 2014-2016), `digits` the length of that county's card numbers.
# ---------------------------------------------------------------------------

COUNTIES = {
    "平阴县": dict(id="370124", card="370124", digits=18, towns={
        "孝直镇": ("103", ["孝直村", "前转湾村", "李沟村", "南孔村", "白庄村"]),
        "洪范池镇": ("105", ["纸坊村", "书院村", "东峪村", "王庄村"]),
        "东阿镇": ("102", ["胡坡村", "南市村", "黄山村"]),
        "安城镇": ("107", ["安城村", "焦庄村", "北毛峪村"]),
        "玫瑰镇": ("104", ["胡庄村", "外山村", "夏沟村"]),
    }),
    "商河县": dict(id="370126", card="370126", digits=19, towns={
        "玉皇庙镇": ("108", ["玉皇庙村", "马家村", "刘集村"]),
        "孙集镇": ("110", ["孙集村", "杜家村", "大李村"]),
        "韩庙镇": ("111", ["韩庙村", "张家庙村", "杨家村"]),
        "沙河镇": ("112", ["沙河村", "黄家村", "前王村"]),
        "白桥镇": ("109", ["白桥村", "西赵村", "东姜村"]),
    }),
    "济阳区": dict(id="370125", card="370125", digits=18, towns={
        "仁风镇": ("109", ["仁风村", "刘家村", "付家村"]),
        "新市镇": ("110", ["新市村", "王庄村", "潘家村"]),
    }),
    "莱芜区": dict(id="371202", card="371202", digits=17, towns={
        "茶业口镇": ("115", ["上王庄村", "卧云铺村", "逯家岭村", "腰关村"]),
        "和庄镇": ("114", ["和庄村", "北王庄村", "泉子峪村"]),
        "大王庄镇": ("112", ["大王庄村", "吕家楼村"]),
    }),
    "长清区": dict(id="370113", card="370113", digits=18, towns={
        "万德街道": ("008", ["马套村", "界首村", "石胡同村"]),
        "孝里镇": ("104", ["孝里村", "方峪村", "岚峪村"]),
        "双泉镇": ("103", ["双泉村", "东风村", "北黄崖村"]),
    }),
    "章丘区": dict(id="370181", card="370181", digits=18, towns={
        "垛庄镇": ("107", ["垛庄村", "石匣村", "西车厢村"]),
        "文祖街道": ("012", ["三德范村", "锦屏村"]),
    }),
    "历城区": dict(id="370112", card="370112", digits=18, towns={
        "柳埠街道": ("013", ["房庄村", "东泉村", "突泉村"]),
        "西营街道": ("014", ["藕池村", "枣林村"]),
    }),
}
CN_NUM = "一二三四五六七八九十"


class Place:
    def __init__(self, rng: random.Random, county: str):
        info = COUNTIES[county]
        self.county = county
        self.town = rng.choice(sorted(info["towns"]))
        town_code, villages = info["towns"][self.town]
        v = rng.randrange(len(villages))
        self.village = villages[v]
        kind = rng.random()
        if kind < 0.6:
            tail = f"{rng.randint(1, 260)}号"
        elif kind < 0.85:
            tail = f"{CN_NUM[rng.randint(0, 7)]}组"
        else:
            tail = f"{rng.choice('东西南北中')}街{rng.randint(1, 80)}号"
        self.address = f"济南市{county}{self.town}{self.village}{tail}"
        prefix = info["card"] + town_code + f"{v + 1:03d}"
        rest = info["digits"] - len(prefix)
        self.card_no = prefix + "".join(str(rng.randint(0, 9)) for _ in range(rest))
        self.id_region = info["id"]


# ---------------------------------------------------------------------------
# Catalog 2019 of 济南市 and what it was in 2018
# ---------------------------------------------------------------------------

def major(code, name, level, years, plan, note=""):
    return dict(code=code, name=name, level=level, years=years, plan=plan, note=note)


CATALOG_2019 = [
    dict(name="济南技师学院", type="技师学院", affiliation="市属",
         address="济南市历城区港沟街道新城路6号", phone="0531-88613201",
         report=dict(date=dt.date(2019, 9, 1), place="学院北校区新生报到处"),
         majors=[
             major("0103", "数控加工", "高级工", 5, 40),
             major("0303", "电气自动化设备安装与维修", "高级工", 5, 40),
             major("0306", "工业机器人应用与维护", "预备技师", 5, 20, "校企合作订单班"),
             major("0407", "汽车维修", "中级工", 3, 50),
             major("0601", "计算机网络应用", "高级工", 5, 30),
         ]),
    dict(name="山东公路技师学院", type="技师学院", affiliation="省属",
         address="济南市长清区大学科技园紫薇路6号", phone="0531-87206058",
         report=dict(date=dt.date(2019, 9, 2), place="学院东门迎新服务站"),
         majors=[
             major("0407", "汽车维修", "高级工", 5, 60),
             major("0408", "汽车钣金与涂装", "中级工", 3, 30),
             major("0409", "工程机械运用与维修", "中级工", 3, 30, "面向退役士兵单列计划"),
             major("1302", "道路与桥梁工程施工", "高级工", 5, 40),
         ]),
    dict(name="济南市高级技工学校", type="高级技工学校", affiliation="市属",
         address="济南市天桥区北园大街227号", phone="0531-85953116",
         report=dict(date=dt.date(2019, 9, 1), place="学校体育馆"),
         majors=[
             major("1001", "烹饪（中式烹调）", "高级工", 5, 40),
             major("1002", "烹饪（中式面点）", "中级工", 3, 20),
             major("0701", "电子商务", "中级工", 3, 30),
             major("0706", "物流服务与管理", "中级工", 3, 25),
             major("1004", "美容美发与造型", "中级工", 3, 20),
         ]),
    dict(name="平阴县技工学校", type="技工学校", affiliation="县属",
         address="济南市平阴县榆山街道青龙路166号", phone="0531-87876510",
         report=dict(date=dt.date(2019, 8, 30), place="学校办公楼一楼"),
         majors=[
             major("0103", "数控加工", "中级工", 3, 30),
             major("0110", "焊接加工", "中级工", 3, 25),
             major("0601", "计算机网络应用", "中级工", 3, 25),
         ]),
    dict(name="商河县技工学校", type="技工学校", affiliation="县属",
         address="济南市商河县许商街道富民路88号", phone="0531-84882736",
         report=dict(date=dt.date(2019, 8, 30), place="学校教学楼一楼大厅"),
         majors=[
             major("0407", "汽车维修", "中级工", 3, 30),
             major("0303", "电气自动化设备安装与维修", "中级工", 3, 25),
             major("0701", "电子商务", "中级工", 3, 20),
             major("1001", "烹饪（中式烹调）", "中级工", 3, 20, "与县餐饮协会联合培养"),
         ]),
    dict(name="莱芜技师学院", type="技师学院", affiliation="市属",
         address="济南市莱芜区凤城街道汶源东大街69号", phone="0531-76221388",
         report=dict(date=dt.date(2019, 9, 3), place="学院图书馆一楼报到处"),
         majors=[
             major("0103", "数控加工", "高级工", 5, 40),
             major("0303", "电气自动化设备安装与维修", "高级工", 5, 40),
             major("0306", "工业机器人应用与维护", "预备技师", 5, 20),
             major("0407", "汽车维修", "中级工", 3, 40),
             major("0603", "计算机程序设计", "中级工", 3, 20),
             major("0110", "焊接加工", "中级工", 3, 20, "2019年新增专业"),
         ]),
]


def catalog_2018() -> list[dict]:
    """Last year's catalog: 济阳县技工学校 then, no 莱芜技师学院 (莱芜 joined 济南
    in January 2019), a few majors, plans and one level different."""
    import copy

    schools = copy.deepcopy([s for s in CATALOG_2019 if s["name"] != "莱芜技师学院"])
    by = {s["name"]: s for s in schools}
    for s in schools:
        s["report"] = dict(date=s["report"]["date"].replace(year=2018), place=s["report"]["place"])
    jn = by["济南技师学院"]
    jn["majors"] = [m for m in jn["majors"] if m["code"] != "0306"]        # robots: new in 2019
    for m in jn["majors"]:
        if m["code"] == "0601":                                             # level raised in 2019
            m.update(level="中级工", years=3)
    by["济南市高级技工学校"]["majors"].insert(3, major("0702", "市场营销", "中级工", 3, 20))
    for s, code, plan in (("平阴县技工学校", "0103", 25), ("商河县技工学校", "0407", 35),
                          ("山东公路技师学院", "0407", 50), ("济南市高级技工学校", "0701", 25)):
        for m in by[s]["majors"]:
            if m["code"] == code:
                m["plan"] = plan
    for m in by["山东公路技师学院"]["majors"]:
        if m["code"] == "0409":
            m["note"] = ""
    schools.insert(5, dict(
        name="济阳县技工学校", type="技工学校", affiliation="县属",
        address="济南市济阳县济阳街道开元大街15号", phone="0531-84238861",
        report=dict(date=dt.date(2018, 8, 31), place="学校报告厅"),
        majors=[major("0407", "汽车维修", "中级工", 3, 30),
                major("0110", "焊接加工", "中级工", 3, 20),
                major("0701", "电子商务", "中级工", 3, 20)]))
    return schools


def catalog_yaml(city: str, year: int, published_on: dt.date, schools: list[dict],
                 comment: str = "") -> str:
    """Catalog in the SPEC §3 YAML form, laid out as a person would type it."""
    out = [f"# {comment}"] if comment else []
    out += ["kind: catalog", f"city: {city}", f"year: {year}",
            f"published_on: {published_on:%Y-%m-%d}", "schools:"]
    for s in schools:
        out += [f"  - name: {s['name']}", f"    type: {s['type']}",
                f"    affiliation: {s['affiliation']}", f"    address: {s['address']}",
                f"    phone: {s['phone']}",
                f"    report: {{date: {s['report']['date']:%Y-%m-%d}, place: {s['report']['place']}}}",
                "    majors:"]
        for m in s["majors"]:
            out.append(f"      - {{code: \"{m['code']}\", name: {m['name']}, level: {m['level']}, "
                       f"years: {m['years']}, plan: {m['plan']}, note: \"{m['note']}\"}}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Workbook helpers
# ---------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
F_TITLE = Font(name="方正小标宋简体", size=18)
F_HEAD = Font(name="黑体", size=11)
F_BODY = Font(name="宋体", size=11)
F_NOTE = Font(name="仿宋_GB2312", size=12)


def new_sheet(title: str = "Sheet1"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    return wb, ws


def put(ws, row: int, col: int, value, font=F_BODY, align=CENTER, border=True, text=False):
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BORDER
    if text:
        cell.number_format = "@"
    return cell


def merge(ws, r1: int, c1: int, r2: int, c2: int, border=True):
    if border:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).border = BORDER
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def widths(ws, values):
    for i, w in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def save(wb, path: Path):
    """Save with fixed document dates and ZIP timestamps (byte-identical reruns)."""
    wb.properties.creator = "Administrator"
    wb.properties.lastModifiedBy = "Administrator"
    wb.properties.created = wb.properties.modified = FIXED
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        ExcelWriter(wb, zf).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_text(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_json(path: Path, data):
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---------------------------------------------------------------------------
# Catalog workbook
# ---------------------------------------------------------------------------

CATALOG_HEAD = ["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称", "培养层次",
                "学制（年）", "招生计划（人）", "学校地址", "联系电话", "备注"]


def write_catalog_xlsx(path: Path, city: str, year: int, published: dt.date, schools):
    wb, ws = new_sheet("目录")
    n = len(CATALOG_HEAD)
    put(ws, 1, 1, f"{city}{year}年度精准技能扶贫技工院校和专业目录", F_TITLE, border=False)
    merge(ws, 1, 1, 1, n, border=False)
    put(ws, 2, 1, f"发布日期：{cn_date(published)}", F_NOTE,
        Alignment(horizontal="right", vertical="center"), border=False)
    merge(ws, 2, 1, 2, n, border=False)
    for c, h in enumerate(CATALOG_HEAD, 1):
        put(ws, 3, c, h, F_HEAD)
    row = 4
    for i, s in enumerate(schools, 1):
        first = row
        for m in s["majors"]:
            put(ws, row, 5, m["code"], text=True)
            put(ws, row, 6, m["name"])
            put(ws, row, 7, m["level"])
            put(ws, row, 8, m["years"])
            put(ws, row, 9, m["plan"])
            put(ws, row, 12, m["note"] or None, align=LEFT)
            row += 1
        last = row - 1
        for col, value, align in ((1, i, CENTER), (2, s["name"], CENTER), (3, s["type"], CENTER),
                                  (4, s["affiliation"], CENTER), (10, s["address"], LEFT),
                                  (11, s["phone"], CENTER)):
            put(ws, first, col, value, align=align)
            merge(ws, first, col, last, col)
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[3].height = 30
    widths(ws, [6, 22, 12, 10, 10, 26, 10, 10, 10, 34, 15, 22])
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    save(wb, path)


# ---------------------------------------------------------------------------
# 附件2 registrations and the admission list
# ---------------------------------------------------------------------------

REG_HEAD = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址",
            "拟就读\n技工院校"]
REG_OPTIONAL = ["拟就读专业", "人员类别", "县（市、区）", "乡镇（街道）", "村（社区）"]
ADM_EXTRA = ["录取院校", "录取专业", "报到时间", "报到地点"]
REG_KEYS = ["name", "gender", "ethnicity", "card_no", "id_no", "phone", "address", "school"]
OPT_KEYS = ["major", "category", "county", "town", "village"]
TEXT_KEYS = {"card_no", "id_no", "phone"}
REG_WIDTHS = {"序号": 6, "姓名": 9, "性别": 6, "民族": 7, "扶贫卡编号": 22, "身份证号": 21,
              "联系电话": 14, "家庭详细地址": 34, "拟就读\n技工院校": 20, "拟就读专业": 22,
              "人员类别": 15, "县（市、区）": 10, "乡镇（街道）": 11, "村（社区）": 11,
              "录取院校": 20, "录取专业": 22, "报到时间": 14, "报到地点": 22}


def write_person_table(path: Path, *, heading: str | None, title: str, unit: str,
                       filled_on: dt.date, head: list[str], keys: list[str], rows: list,
                       filled_by: str, phone: str, blank_after: tuple[int, ...] = ()):
    """附件2-shaped table: title rows, one header row, data, 总计, 填表人.

    `rows` are dicts (or None for a blank row typed in the middle)."""
    wb, ws = new_sheet("Sheet1")
    n = len(head)
    r = 1
    if heading:
        put(ws, r, 1, heading, Font(name="黑体", size=14), LEFT, border=False)
        r += 1
    put(ws, r, 1, title, F_TITLE, border=False)
    merge(ws, r, 1, r, n, border=False)
    ws.row_dimensions[r].height = 36
    r += 1
    split = max(3, n - 3)
    put(ws, r, 1, f"填表单位（盖章）：{unit}", F_NOTE, LEFT, border=False)
    merge(ws, r, 1, r, split, border=False)
    put(ws, r, split + 1, f"填表时间：{cn_date(filled_on)}", F_NOTE,
        Alignment(horizontal="right", vertical="center"), border=False)
    merge(ws, r, split + 1, r, n, border=False)
    r += 1
    header_row = r
    for c, h in enumerate(head, 1):
        put(ws, r, c, h, F_HEAD)
    ws.row_dimensions[r].height = 32
    r += 1
    seq = 0
    for row in rows:
        if row is None:
            for c in range(1, n + 1):
                put(ws, r, c, None)
            r += 1
            continue
        seq += 1
        put(ws, r, 1, seq)
        for c, key in enumerate(keys, 2):
            value = row.get(key)
            if isinstance(value, dt.date):
                cell = put(ws, r, c, value)
                cell.number_format = 'yyyy"年"m"月"d"日"'
            else:
                put(ws, r, c, value if value != "" else None,
                    align=LEFT if key in ("address", "report_place") else CENTER,
                    text=key in TEXT_KEYS)
        r += 1
    put(ws, r, 1, "总计", F_HEAD)
    put(ws, r, 2, f"{seq}人", F_HEAD)
    for c in range(3, n + 1):
        put(ws, r, c, None)
    r += 1
    put(ws, r, 1, f"填表人：{filled_by}", F_NOTE, LEFT, border=False)
    merge(ws, r, 1, r, 3, border=False)
    put(ws, r, 6, f"联系电话：{phone}", F_NOTE, LEFT, border=False)
    merge(ws, r, 6, r, 8, border=False)
    widths(ws, [REG_WIDTHS.get(h, 12) for h in head])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    ws.print_title_rows = f"{header_row}:{header_row}"
    save(wb, path)


CATEGORY_BIRTH = {  # birth-date windows giving ages 15-22 on the filing date
    "应届初中毕业生": (dt.date(2003, 1, 5), dt.date(2004, 2, 28)),
    "往届初中毕业生": (dt.date(2000, 6, 1), dt.date(2002, 12, 31)),
    "应届高中毕业生": (dt.date(2000, 9, 1), dt.date(2001, 8, 31)),
    "往届高中毕业生": (dt.date(1997, 6, 1), dt.date(1999, 12, 31)),
    "退役士兵": (dt.date(1996, 6, 1), dt.date(1998, 12, 31)),
}
FEMALE_FRIENDLY = {"1001", "1002", "0701", "0706", "1004", "0601", "0603"}


def random_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def make_student(rng, names, county, school, major_, category, ethnicity="汉族"):
    code = major_["code"]
    if category == "退役士兵":
        gender = "男"
    else:
        gender = "女" if rng.random() < (0.55 if code in FEMALE_FRIENDLY else 0.08) else "男"
    place = Place(rng, county)
    birth = random_date(rng, *CATEGORY_BIRTH[category])
    return dict(name=names(gender, county), gender=gender, ethnicity=ethnicity, card_no=place.card_no,
                id_no=make_id(rng, place.id_region, birth, gender), phone=make_mobile(rng),
                address=place.address, school=school["name"], major=major_["name"],
                category=category, county=county, town=place.town, village=place.village)


# Where the 40 students come from and what they chose: (county, school, major code, category)
JINAN_PLAN = [
    ("平阴县", "平阴县技工学校", "0103", "应届初中毕业生"),
    ("平阴县", "平阴县技工学校", "0103", "应届初中毕业生"),
    ("平阴县", "平阴县技工学校", "0110", "往届初中毕业生"),
    ("平阴县", "平阴县技工学校", "0601", "应届初中毕业生"),
    ("平阴县", "平阴县技工学校", "0110", "退役士兵"),
    ("平阴县", "济南技师学院", "0407", "应届初中毕业生"),
    ("平阴县", "山东公路技师学院", "0409", "退役士兵"),
    ("商河县", "商河县技工学校", "0407", "应届初中毕业生"),
    ("商河县", "商河县技工学校", "0407", "往届初中毕业生"),
    ("商河县", "商河县技工学校", "0303", "应届初中毕业生"),
    ("商河县", "商河县技工学校", "0701", "应届高中毕业生"),
    ("商河县", "商河县技工学校", "1001", "应届初中毕业生"),
    ("商河县", "商河县技工学校", "1001", "往届初中毕业生"),
    ("商河县", "济南市高级技工学校", "0701", "往届高中毕业生"),
    ("商河县", "济南技师学院", "0303", "应届初中毕业生"),
    ("莱芜区", "莱芜技师学院", "0103", "应届初中毕业生"),
    ("莱芜区", "莱芜技师学院", "0407", "往届初中毕业生"),
    ("莱芜区", "莱芜技师学院", "0306", "应届高中毕业生"),
    ("莱芜区", "莱芜技师学院", "0603", "应届初中毕业生"),
    ("莱芜区", "莱芜技师学院", "0110", "退役士兵"),
    ("莱芜区", "莱芜技师学院", "0303", "应届初中毕业生"),
    ("济阳区", "济南市高级技工学校", "1001", "应届初中毕业生"),
    ("济阳区", "济南市高级技工学校", "1002", "往届初中毕业生"),
    ("济阳区", "济南技师学院", "0103", "应届初中毕业生"),
    ("济阳区", "山东公路技师学院", "0407", "往届高中毕业生"),
    ("长清区", "山东公路技师学院", "0407", "应届初中毕业生"),
    ("长清区", "山东公路技师学院", "1302", "应届高中毕业生"),
    ("长清区", "山东公路技师学院", "0408", "应届初中毕业生"),
    ("长清区", "山东公路技师学院", "0409", "退役士兵"),
    ("长清区", "济南技师学院", "0601", "应届高中毕业生"),
    ("章丘区", "济南技师学院", "0306", "应届高中毕业生"),
    ("章丘区", "济南技师学院", "0407", "往届初中毕业生"),
    ("章丘区", "济南市高级技工学校", "1004", "应届初中毕业生"),
    ("章丘区", "济南市高级技工学校", "0706", "往届高中毕业生"),
    ("历城区", "济南技师学院", "0103", "应届初中毕业生"),
    ("历城区", "济南市高级技工学校", "0701", "应届初中毕业生"),
    ("历城区", "济南技师学院", "0303", "退役士兵"),
    ("平阴县", "平阴县技工学校", "0601", "往届初中毕业生"),
    ("商河县", "商河县技工学校", "0303", "往届高中毕业生"),
    ("莱芜区", "莱芜技师学院", "0407", "应届初中毕业生"),
]
OTHER_ETHNICITY = {16: "回族", 30: "回族", 21: "满族"}   # index in JINAN_PLAN -> 民族
NOT_ADMITTED = {3, 12, 19, 26, 33, 38}                    # 6 of 40 not admitted
OTHER_MAJOR = {8: "0303", 17: "0103", 24: "0408", 35: "0706"}   # admitted to another major


def school_by_name(name):
    return next(s for s in CATALOG_2019 if s["name"] == name)


def major_by_code(school, code):
    return next(m for m in school["majors"] if m["code"] == code)


def jinan_students() -> list[dict]:
    rng = random.Random(20190320)
    names = Names(rng)
    students = []
    for i, (county, sname, code, category) in enumerate(JINAN_PLAN):
        school = school_by_name(sname)
        students.append(make_student(rng, names, county, school, major_by_code(school, code),
                                     category, OTHER_ETHNICITY.get(i, "汉族")))
    return students


# ---------------------------------------------------------------------------
# 附件1 progress form
# ---------------------------------------------------------------------------

P_GROUP = ["技工教育情况", "职业培训情况"]
P_COLS = ["当年招收建档立卡贫困家庭子女人数（人）", "建档立卡贫困\n家庭子女在校生人数（人）",
          "建档立卡贫困\n家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
          "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）"]
P_KEYS = ["enrolled", "in_school", "graduates", "employed", "trained", "trained_employed"]
FW = str.maketrans("0123456789", "０１２３４５６７８９")


def as_number(value) -> float:
    """What a reader makes of a typed cell: `１２`, `12人` -> 12."""
    if isinstance(value, (int, float)):
        return value
    text = str(value).translate({ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"})
    return float(text.rstrip("人")) if "." in text else int(text.rstrip("人"))


def write_progress(path: Path, *, unit: str, filled_on: dt.date, rows: list, filled_by: str,
                   phone: str, pre_header: list[str] = (), remark: bool = False,
                   halfwidth: bool = False, total_override: dict | None = None):
    """附件1 with the seed's two-row merged header.

    rows: dicts {school, enrolled, ...} (values may be typed text) or None for blank rows.
    pre_header: extra lines between the 填表单位 row and the header (moves it down)."""
    def t(s):
        return s.replace("（", "(").replace("）", ")") if halfwidth else s

    wb, ws = new_sheet("Sheet1")
    n = 8 + (1 if remark else 0)
    put(ws, 1, 1, "附件1", Font(name="黑体", size=14), LEFT, border=False)
    put(ws, 2, 1, "全省技工院校服务脱贫攻坚工作进展情况表", F_TITLE, border=False)
    merge(ws, 2, 1, 2, n, border=False)
    ws.row_dimensions[2].height = 36
    put(ws, 3, 1, t(f"填表单位（盖章）：{unit}"), F_NOTE, LEFT, border=False)
    merge(ws, 3, 1, 3, 5, border=False)
    put(ws, 3, 6, f"填表时间：{cn_date(filled_on)}", F_NOTE,
        Alignment(horizontal="right", vertical="center"), border=False)
    merge(ws, 3, 6, 3, n, border=False)
    r = 4
    for line in pre_header:
        if line:
            put(ws, r, 1, line, F_NOTE, LEFT, border=False)
            merge(ws, r, 1, r, n, border=False)
        r += 1
    h = r
    put(ws, h, 1, "序号", F_HEAD)
    merge(ws, h, 1, h + 1, 1)
    put(ws, h, 2, "学校名称", F_HEAD)
    merge(ws, h, 2, h + 1, 2)
    put(ws, h, 3, P_GROUP[0], F_HEAD)
    merge(ws, h, 3, h, 6)
    put(ws, h, 7, P_GROUP[1], F_HEAD)
    merge(ws, h, 7, h, 8)
    for c, title in enumerate(P_COLS, 3):
        put(ws, h + 1, c, t(title), F_HEAD)
    if remark:
        put(ws, h, 9, "备注", F_HEAD)
        merge(ws, h, 9, h + 1, 9)
    ws.row_dimensions[h + 1].height = 72
    r = h + 2
    seq = 0
    totals = dict.fromkeys(P_KEYS, 0)
    for row in rows:
        if row is None:
            r += 1
            continue
        seq += 1
        put(ws, r, 1, seq)
        put(ws, r, 2, row["school"])
        for c, key in enumerate(P_KEYS, 3):
            put(ws, r, c, row[key])
            totals[key] += as_number(row[key])
        if remark:
            put(ws, r, 9, row.get("remark") or None, align=LEFT)
        r += 1
    totals.update(total_override or {})
    put(ws, r, 1, "总计", F_HEAD)
    merge(ws, r, 1, r, 2)
    for c, key in enumerate(P_KEYS, 3):
        put(ws, r, c, totals[key], F_HEAD)
    if remark:
        put(ws, r, 9, None)
    r += 1
    put(ws, r, 1, f"填表人：{filled_by}    联系电话：{phone}", F_NOTE, LEFT, border=False)
    merge(ws, r, 1, r, 5, border=False)
    widths(ws, [6, 26, 16, 16, 16, 16, 18, 14] + ([20] if remark else []))
    save(wb, path)
    return totals


def progress_rows(rng: random.Random, schools: list[tuple[str, str]]) -> list[dict]:
    """Plausible half-year figures; size 'big' | 'mid' | 'small' scales them."""
    scale = {"big": 1.0, "mid": 0.6, "small": 0.3}
    rows = []
    for name, size in schools:
        k = scale[size]
        enrolled = max(2, int(rng.randint(18, 45) * k))
        in_school = enrolled + max(1, int(rng.randint(25, 70) * k))
        graduates = max(1, int(rng.randint(8, 22) * k))
        employed = graduates - rng.choice((0, 0, 0, 1, 1, 2))
        trained = max(20, int(rng.randint(120, 420) * k))
        trained_employed = int(trained * rng.uniform(0.62, 0.91))
        rows.append(dict(school=name, enrolled=enrolled, in_school=in_school,
                         graduates=graduates, employed=max(employed, 0), trained=trained,
                         trained_employed=trained_employed))
    return rows


JINAN_PROGRESS_SCHOOLS = [("济南技师学院", "big"), ("山东公路技师学院", "big"),
                          ("济南市高级技工学校", "mid"), ("平阴县技工学校", "small"),
                          ("商河县技工学校", "small"), ("莱芜技师学院", "big")]


def jinan_progress(path: Path):
    rows = progress_rows(random.Random(20190610), JINAN_PROGRESS_SCHOOLS)
    write_progress(path, unit="济南市人力资源社会保障局", filled_on=dt.date(2019, 6, 10),
                   rows=rows, filled_by="李明", phone="0531-86000001")


# ---------------------------------------------------------------------------
# The seed notice (word for word), as a hand-written YAML file
# ---------------------------------------------------------------------------

NOTICE_YAML = """\
# 山东省人力资源和社会保障厅 山东省扶贫开发领导小组办公室 联合印发的通知（种子文件）。
# 发文字号为演示而设；校核人：于金。
kind: notice
issuers: [山东省人力资源和社会保障厅, 山东省扶贫开发领导小组办公室]
mark: 文件
number: 鲁人社字〔2017〕100号
title: 关于印发山东省技工院校服务脱贫攻坚工作行动计划的通知
to: 各市人力资源社会保障局、扶贫办，省直有关部门
body: |
  现将《山东省技工院校服务脱贫攻坚工作行动计划》印发给你们，请结合实际，认真贯彻落实。
attachments: []
date: 2017-12-23
seal: placeholder
notes: [此件主动公开, 联系单位：职业能力建设处]
enclosure:
  title: 山东省技工院校服务脱贫攻坚工作行动计划
  body: |
    为深入贯彻党的十九大关于“动员全党全国全社会力量，坚持精准扶贫、精准脱贫”的重要指示，全面落实中央、国务院及省委省政府关于打赢脱贫攻坚战的战略部署，进一步发挥技工教育服务社会功能，促进技能扶贫工作向纵深推进，根据省委省政府《关于贯彻落实中央扶贫开发工作部署坚决打赢脱贫攻坚战的意见》（鲁发〔2015〕22号）、省委办公厅省政府办公厅《关于进一步强化政策措施推进深度贫困地区精准脱贫的实施意见》（鲁办发〔2017〕56号）、人力资源社会保障部国务院扶贫办《关于开展技能脱贫千校行动的通知》（人社部发〔2016〕68号）以及省人力资源社会保障厅省扶贫开发领导小组办公室省财政厅《关于贯彻落实省委省政府扶贫开发工作部署坚决做好就业与社会保障精准扶贫工作的通知》（鲁人社发〔2016〕17号）等文件精神，结合我省实际，特制定全省技工院校服务脱贫攻坚工作行动计划。

    一、指导思想

    坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的十九大精神，紧紧围绕精准扶贫、精准脱贫的战略部署，依托全省技工院校，大力开展技工教育扶贫、职业培训扶贫、对口支教扶贫、爱心助学扶贫等工作，大幅提升贫困地区劳动者就业创业技能，以更精准的举措、超常规的力度，促进脱贫攻坚工作向纵深发展。

    二、目标任务

    通过深入推进全省技工院校服务脱贫攻坚工作行动计划，到2020年，使每个有就读技工院校意愿的建档立卡贫困家庭应往届初、高中毕业未能继续升学人员和退役士兵都能免费接受技工教育，每个有劳动能力且有参加职业培训意愿的建档立卡贫困家庭劳动者每年都能够到技工院校接受至少1次免费职业培训，帮助接受技工教育或职业培训的贫困家庭学生（学员）实现就业愿望，达到“教育培训一人，就业创业一人，脱贫致富一户”的目标，为与全国同步全面建成小康社会打下坚实基础。

    三、工作措施

    （一）精心拟制方案，明晰工作责任。各级人力资源社会保障、扶贫部门要把技能脱贫列入精准扶贫重要工作领域，建立工作对接机制，共同研究制定本地区技工院校服务脱贫攻坚工作方案。要广泛发动各级各类技工院校积极承担技能扶贫任务，加强与财政等部门协调，落实各项资金补贴政策。要发挥基层扶贫机构、驻村工作队、“第一书记”和农村基层组织的作用，向广大贫困家庭宣传好技能扶贫政策，引导发动贫困家庭人员接受技工教育或参加职业培训，对建档立卡贫困家庭劳动者有就读技工院校和参加职业培训意愿的，要及时将信息提供给人力资源社会保障部门。各技工院校要成立专门技能扶贫工作领导机构，制定完善技能扶贫工作方案，深入到县（市、区）、乡镇（街道）和村，摸清底数，做好宣传，建立扶贫工作台账。各市人力资源社会保障局要认真统计填写《全省技工院校服务脱贫攻坚工作进展情况表》（见附件1），于每年6月15日和12月15日前报送省人力资源社会保障厅职业能力建设处。

    （二）精准确定范围，规范录取流程。享受精准技能扶贫政策的人员须是在当地扶贫部门建档立卡范围内的初、高中毕业未能继续升学人员和退役士兵。享受精准技能扶贫政策的人员根据各市公布的技能扶贫技工院校和专业目录，采取自下而上的方式自愿到村委（社区或居委会）报名，村委（社区或居委会）汇总同意后报乡镇（街道）扶贫部门、人力资源社会保障所审核，审核通过的报县（市、区）扶贫部门、人力资源社会保障部门汇总后，报设区的市人力资源社会保障部门办理录取手续，并通知录取学校发放录取通知书。劳动年龄内、有劳动能力和职业培训意愿的建档立卡贫困家庭人员或退役士兵参加职业技能培训，按照有关规定享受补贴，由各市按照相关培训规定要求组织实施。

    （三）开辟绿色通道，提供最优质专业和最高质量就业。各市人力资源社会保障部门要组织辖区内技工院校（包括中央、省属技工院校）积极申报承担技能扶贫工作，将办学条件完善、教学质量高、就业面广、就业率和就业质量高的技工院校，确定为承担精准技能扶贫工作院校。承担精准技能扶贫工作的技工院校，要将招生就业范围广、教学师资力量雄厚、实训设备优良、社会认可度较高以及就业形势较好的专业纳入到精准技能扶贫专业。各市人力资源社会保障局要把承担精准技能扶贫技工院校和专业于每年2月底前向社会公布并报省人力资源社会保障厅备案，以便于贫困家庭学生和退役士兵选择就读。承担院校和专业实行动态调整。同时各市要鼓励和支持技工院校参加当地定点培训机构的招投标工作，采取“企业订单、劳动者选单、培训机构列单、政府买单”的四单式培训模式,承担职业技能培训任务，确保培训质量和就业质量。

    （四）强化资金保障，实行“五免一享”优惠政策，助力贫困家庭学生完成学业。一是对就读技工院校的全日制建档立卡贫困家庭适龄学生和低保家庭退役士兵，录取院校要及时注册技工院校学籍，对学生本人实行“五免一享”政策，即免学费、免住宿费、免教材费、免费提供勤工俭学岗位、免费推荐就业岗位，享受国家助学金政策。二是各级部门和有关院校要认真落实《国务院扶贫办 教育部 人力资源社会保障部关于加强雨露计划支持农村贫困家庭新成长劳动力接受职业教育的意见》（国开办发〔2015〕19号）、《山东省扶贫办关于印发山东省雨露计划职业教育扶贫项目管理实施细则的通知》（鲁扶贫组办发〔2016〕1号）要求，对子女接受技工教育的农村建档立卡贫困家庭，按照每生每年3000元的标准给予补助，所需资金从财政专项扶贫资金中列支。对接受职业技能精准培训的建档立卡适龄贫困人口，要按规定落实职业培训补贴政策。技工院校建档立卡贫困学生毕业时参加所学专业职业技能鉴定的，免收职业技能鉴定费和证书费。三是对于开展精准技能扶贫工作成效显著的技工院校，在实施国家高技能人才振兴计划相关项目、省技工教育特色名校评选、齐鲁技能大师特色工作站评选和企业新型学徒制试点等工作中，同等条件下优先给予支持。

    （五）加大支持力度，开展对口帮扶和对口支教工作。各市人力资源社会保障局要统筹做好所属技师学院与脱贫任务比较重的县（市、区）技工学校对口帮扶工作，实施定点对口援助，在学校规划布局、管理人员和师资队伍业务能力提升、一体化课程教学改革、专业设置与开发、实习实训条件等方面给予支持。同时，鼓励技师学院派出专业教师，对帮扶技工学校开展支教工作，支教服务期可作为基层工作经历，在专业技术职称评审、岗位聘用、评选齐鲁首席技师和有突出贡献的技师等方面予以倾斜。

    （六）鼓励爱心助学，实施校企共育人才“十百千”行动。各级人力资源社会保障部门要积极鼓励、宣传、引导本地区企业开展助学援助和校企合作，帮助建档立卡贫困家庭子女顺利完成学业，掌握一技之长。通过大力宣传发动，选择50家左右热心参与公益事业的企业，对接100所承担技能精准扶贫、对口支教援助工作的技工院校（职业培训机构），为3000名品学兼优的技工院校（职业培训机构）在校贫困学生提供爱心奖（助）学金和实习岗位，符合企业招聘条件的，可优先录用。

    四、工作要求

    （一）加大宣传力度。各级人力资源社会保障、扶贫部门和各技工院校要加大政策宣传力度和招生宣传力度，将技能扶贫政策宣传到每一个建档立卡贫困家庭，通过多种形式，宣传技能成才的典型，宣传掌握技能对于促进就业创业、提高收入水平的重要作用，引导广大贫困家庭子女读技校、学技能，在全社会营造关心技工教育、关爱贫困学生的良好氛围。

    （二）加强信息管理。探索建立技工院校电子注册和统计信息管理系统、职业培训实名制信息管理系统与建档立卡贫困人口信息系统精准比对机制，确保扶助对象精准识别。各技工院校要把握就地就近原则，把本地区贫困家庭劳动者作为重点教育培训对象，降低招生、宣传、服务、交通等成本。

    （三）强化资金监管。各级人力资源社会保障、扶贫部门要按照相关资金管理办法、使用监管意见等制度要求，规范、合理使用各项用于技能脱贫工作的资金，确保资金安全，提高资金使用效益。
  attachments:
    - {title: 全省技工院校服务脱贫攻坚工作进展情况表, form: attachment1}
    - {title: ××市精准技能扶贫对象登记汇总表, form: attachment2}
printed_by: 山东省人力资源和社会保障厅办公室
printed_on: 2017-12-23
"""

JINAN_CONFIG = """\
issuer:
  name: 济南市人力资源和社会保障局
  code: 济人社字
  seal: placeholder
city: 济南市
year: 2019
contact: {unit: 职业能力建设处, person: 王老师, phone: 0531-86000000}
filing:                               # 目录备案: 公布通知和备案报告的发文字号、签发人
  notice_number: 济人社字〔2019〕8号
  report_number: 济人社报〔2019〕3号
  signer: 李明
"""

GOOD_CONFIG = """\
issuer: {name: 济南市人力资源和社会保障局, code: 济人社字}
contact: {unit: 职业能力建设处, person: 王老师, phone: 0531-86000000}
filing: {notice_number: 济人社字〔2019〕8号, report_number: 济人社报〔2019〕3号, signer: 李明}
"""

PROVINCE_CONFIG = """\
issuer:
  name: 山东省人力资源和社会保障厅
  code: 鲁人社字
  seal: placeholder
city: 山东省
year: 2019
contact: {unit: 职业能力建设处, person: 于金, phone: 0531-86198000}
"""


# ---------------------------------------------------------------------------
# Provincial returns for 2019-H1, each city typing the form its own way
# ---------------------------------------------------------------------------

def province_returns(out: Path):
    # 济南市: the city's own file, as sent
    jinan_progress(out / "济南市.xlsx")

    # 青岛市: header two rows lower (a period line and a blank row), extra 备注 column
    rows = progress_rows(random.Random(370200), [
        ("青岛市技师学院", "big"), ("青岛西海岸新区高级技工学校", "mid"),
        ("平度市技工学校", "small"), ("莱西市技工学校", "small"), ("胶州市技工学校", "small")])
    rows[0]["remark"] = "含对口支教学校数据"
    rows[2]["remark"] = "培训含农村实用技术培训"
    write_progress(out / "青岛市.xlsx", unit="青岛市人力资源社会保障局",
                   filled_on=dt.date(2019, 6, 12), rows=rows, filled_by="刘晓燕",
                   phone="0532-85912367", pre_header=["统计时段：2019年1月1日至6月10日", ""],
                   remark=True)

    # 淄博市: numbers typed with a full-width IME and as "12人"
    rows = progress_rows(random.Random(370300), [
        ("淄博市技师学院", "big"), ("淄博市高级技工学校", "mid"),
        ("沂源县技工学校", "small"), ("高青县技工学校", "small")])
    rows[1]["enrolled"] = str(rows[1]["enrolled"]).translate(FW)
    rows[1]["graduates"] = str(rows[1]["graduates"]).translate(FW)
    rows[2]["in_school"] = f"{rows[2]['in_school']}人"
    rows[3]["trained"] = f"{rows[3]['trained']}人"
    rows[3]["employed"] = str(rows[3]["employed"]).translate(FW)
    write_progress(out / "淄博市.xlsx", unit="淄博市人力资源社会保障局",
                   filled_on=dt.date(2019, 6, 14), rows=rows, filled_by="孙宁",
                   phone="0533-3186250")

    # 烟台市: half-width brackets in titles, blank rows in the table, filed late
    rows = progress_rows(random.Random(370600), [
        ("烟台工贸技师学院", "big"), ("烟台汽车工程技师学院", "big"),
        ("莱阳市技工学校", "small"), ("海阳市技工学校", "small"), ("栖霞市技工学校", "small")])
    rows.insert(2, None)
    rows.insert(5, None)
    write_progress(out / "烟台市.xlsx", unit="烟台市人力资源社会保障局",
                   filled_on=dt.date(2019, 6, 20), rows=rows, filled_by="曲振华",
                   phone="0535-6688213", halfwidth=True)

    # 潍坊市: 毕业生 total off by 3
    rows = progress_rows(random.Random(370700), [
        ("山东工业技师学院", "big"), ("潍坊市技师学院", "big"), ("青州市技工学校", "small"),
        ("诸城市技工学校", "small"), ("临朐县技工学校", "small")])
    right = sum(r["graduates"] for r in rows)
    write_progress(out / "潍坊市.xlsx", unit="潍坊市人力资源社会保障局",
                   filled_on=dt.date(2019, 6, 13), rows=rows, filled_by="郑凯",
                   phone="0536-8096531", total_override={"graduates": right + 3})


# ---------------------------------------------------------------------------
# Test fixtures
# ---------------------------------------------------------------------------

GOOD_SCHOOLS = [school_by_name("济南技师学院"), school_by_name("平阴县技工学校")]


def good_fixtures(out: Path):
    write_text(out / "catalog.yaml", catalog_yaml(
        "济南市", 2019, dt.date(2019, 2, 27), GOOD_SCHOOLS, "测试用：无任何问题的目录（2所学校）"))
    rng = random.Random(8)
    names = Names(rng)
    plan = [("平阴县", 1, "0103", "应届初中毕业生"), ("平阴县", 1, "0110", "往届初中毕业生"),
            ("平阴县", 1, "0601", "应届初中毕业生"), ("长清区", 0, "0407", "应届初中毕业生"),
            ("历城区", 0, "0303", "退役士兵"), ("章丘区", 0, "0601", "应届高中毕业生"),
            ("平阴县", 0, "0103", "往届高中毕业生"), ("平阴县", 1, "0110", "应届初中毕业生")]
    students = [make_student(rng, names, c, GOOD_SCHOOLS[s], major_by_code(GOOD_SCHOOLS[s], code),
                             cat, "回族" if i == 5 else "汉族")
                for i, (c, s, code, cat) in enumerate(plan)]
    write_person_table(out / "registrations.xlsx", heading="附件2",
                       title="济南市精准技能扶贫对象登记汇总表", unit="济南市人力资源社会保障局",
                       filled_on=dt.date(2019, 3, 20), head=REG_HEAD, keys=REG_KEYS,
                       rows=students, filled_by="李明", phone="0531-86000001")
    rows = progress_rows(random.Random(9), [("济南技师学院", "big"), ("平阴县技工学校", "small")])
    write_progress(out / "progress.xlsx", unit="济南市人力资源社会保障局",
                   filled_on=dt.date(2019, 6, 10), rows=rows, filled_by="李明",
                   phone="0531-86000001")
    # A complete project: the filing's numbers, signer and contact are set (check_filing is quiet).
    write_text(out / "publisher.yaml", GOOD_CONFIG)
    for stem in ("catalog", "registrations", "progress"):
        write_json(out / f"{stem}.expected.json", [])
    return students


def broken_registrations(out: Path):
    """附件2 where each marked row carries exactly one mistake."""
    rng = random.Random(11)
    names = Names(rng)
    sch = GOOD_SCHOOLS

    def s(county, k, code, cat="应届初中毕业生", eth="汉族"):
        return make_student(rng, names, county, sch[k], major_by_code(sch[k], code), cat, eth)

    def reid(st, birth_text, gender_digit):
        body = st["id_no"][:6] + birth_text + st["id_no"][14:16] + gender_digit
        return body + id_check_char(body)

    rows, expect = [], []
    first = s("平阴县", 1, "0103")
    rows += [first, s("长清区", 0, "0407")]

    bad = s("平阴县", 1, "0110")
    bad["id_no"] = bad["id_no"][:17]                            # 17 characters
    rows.append(bad); expect.append(("F", "id.length", "error"))

    bad = s("商河县", 0, "0303")
    g = bad["id_no"][16]
    bad["id_no"] = reid(bad, bad["id_no"][6:10] + "13" + bad["id_no"][12:14], g)   # month 13
    rows.append(bad); expect.append(("F", "id.birthdate", "error"))

    bad = s("历城区", 0, "0601", "应届高中毕业生")
    right = bad["id_no"][17]
    bad["id_no"] = bad["id_no"][:17] + ("0" if right != "0" else "1")              # wrong check
    rows.append(bad); expect.append(("F", "id.checksum", "error"))

    rows.append(None)                                            # blank row typed in between
    rows.append(s("平阴县", 1, "0601"))

    bad = s("平阴县", 1, "0103")
    while bad["gender"] != "男":
        bad = s("平阴县", 1, "0103")
    bad["gender"] = "女"                                         # ID says 男
    rows.append(bad); expect.append(("C", "id.gender", "error"))

    bad = s("章丘区", 0, "0407", eth="火星族")
    rows.append(bad); expect.append(("D", "ethnicity.unknown", "error"))

    bad = s("长清区", 0, "0103", eth="汉")
    rows.append(bad); expect.append(("D", "ethnicity.alias", "warning"))

    rows.append(dict(first)); expect.append(("F", "id.duplicate", "error"))   # entered twice

    bad = s("平阴县", 1, "0110", "往届初中毕业生")
    bad["name"] = ""
    rows.append(bad); expect.append(("B", "required.empty", "error"))

    bad = s("章丘区", 0, "0103")
    bad["school"] = "章丘区技工学校"
    rows.append(bad); expect.append(("I", "school.unknown", "error"))

    bad = s("平阴县", 1, "0601")
    bad["phone"] = "12345"
    rows.append(bad); expect.append(("G", "phone.format", "warning"))

    rows.append(s("历城区", 0, "0303", "退役士兵"))

    head_row = 4
    # map the expectations onto Excel rows: every row except the clean ones carries one
    found, it = [], iter(expect)
    clean = {0, 1, 6, len(rows) - 1}
    for i, row in enumerate(rows):
        if row is None or i in clean:
            continue
        col, code, level = next(it)
        found.append(dict(row=head_row + 1 + i, column=col, code=code, level=level))
    write_person_table(out / "registrations_errors.xlsx", heading="附件2",
                       title="济南市精准技能扶贫对象登记汇总表", unit="济南市人力资源社会保障局",
                       filled_on=dt.date(2019, 3, 20), head=REG_HEAD, keys=REG_KEYS,
                       rows=rows, filled_by="李明", phone="0531-86000001")
    write_json(out / "registrations_errors.expected.json", found)


def broken_progress(out: Path):
    rows = progress_rows(random.Random(12), [
        ("济南技师学院", "big"), ("山东公路技师学院", "big"), ("济南市高级技工学校", "mid"),
        ("平阴县技工学校", "small"), ("商河县技工学校", "small"), ("莱芜技师学院", "big"),
        ("章丘区技工学校", "small"), ("济阳区技工学校", "small")])
    first = 6                                                    # data start (rows 4-5 header)
    expect = []
    rows[1]["employed"] = rows[1]["graduates"] + 2
    expect.append(dict(row=first + 1, column="F", code="progress.employed_gt_graduates",
                       level="error"))
    rows[2]["trained_employed"] = rows[2]["trained"] + 5
    expect.append(dict(row=first + 2, column="H", code="progress.trained_employed_gt_trained",
                       level="error"))
    rows[3]["in_school"] = -3
    expect.append(dict(row=first + 3, column="D", code="number.negative", level="error"))
    rows[4]["enrolled"] = 2.5
    expect.append(dict(row=first + 4, column="C", code="number.fraction", level="error"))
    rows[5]["trained"] = "１２"
    rows[5]["trained_employed"] = min(rows[5]["trained_employed"], 9)
    expect.append(dict(row=first + 5, column="G", code="number.text", level="warning"))
    rows[6]["in_school"] = "12人"
    expect.append(dict(row=first + 6, column="D", code="number.text", level="warning"))
    # 总计 as the checker sums: values already reported as errors (-3, 2.5) are left out,
    # so the only total finding is the deliberate one in 毕业生 (column E).
    def valid_sum(key):
        values = [as_number(r[key]) for r in rows]
        return sum(v for v in values if v >= 0 and v == int(v))

    right = sum(as_number(r["graduates"]) for r in rows)
    total_row = first + len(rows)
    expect.append(dict(row=total_row, column="E", code="total.mismatch", level="error"))
    write_progress(out / "progress_errors.xlsx", unit="济南市人力资源社会保障局",
                   filled_on=dt.date(2019, 6, 10), rows=rows, filled_by="李明",
                   phone="0531-86000001",
                   total_override={"enrolled": valid_sum("enrolled"),
                                   "in_school": valid_sum("in_school"), "graduates": right - 4})
    write_json(out / "progress_errors.expected.json", expect)


def broken_catalog(out: Path):
    pingyin, jinan = GOOD_SCHOOLS[1], GOOD_SCHOOLS[0]
    m = pingyin["majors"]

    def flow(x, level=None):
        return (f"      - {{code: \"{x['code']}\", name: {x['name']}, level: {level or x['level']}, "
                f"years: {x['years']}, plan: {x['plan']}, note: \"{x['note']}\"}}")

    lines = [
        "# 测试用：有错误的目录",
        "kind: catalog",
        "city: 济南市",
        "year: 2019",
        "published_on: 2019-03-05",                               # catalog.late
        "schools:",
        f"  - name: {pingyin['name']}",
        f"    type: {pingyin['type']}",
        f"    affiliation: {pingyin['affiliation']}",
        f"    address: {pingyin['address']}",
        f"    phone: {pingyin['phone']}",
        "    report: {date: 2019-08-30, place: 学校办公楼一楼}",
        "    majors:",
        flow(m[0]),
        flow(m[1], "大师"),                                       # level.unknown
        flow(m[2]),
        flow(m[0]),                                               # catalog.duplicate_major
        "  - name: 商河县技工学校",                                # catalog.no_majors
        "    type: 技工学校",
        "    affiliation: 县属",
        "    address: 济南市商河县许商街道富民路88号",
        "    phone: 0531-84882736",
        "    report: {date: 2019-08-30, place: 学校教学楼一楼大厅}",
        f"  - name: {jinan['name']}",
        f"    type: {jinan['type']}",
        f"    affiliation: {jinan['affiliation']}",
        f"    address: {jinan['address']}",
        f"    phone: {jinan['phone']}",
        "    report: {date: 2019-09-01, place: 学院北校区新生报到处}",
        "    majors:",
    ] + [flow(x) for x in jinan["majors"]]
    text = "\n".join(lines) + "\n"

    def line_of(needle, nth=1):
        hits = [i + 1 for i, l in enumerate(lines) if needle in l]
        return hits[nth - 1]

    expect = [
        dict(line=line_of("published_on:"), code="catalog.late", level="warning"),
        dict(line=line_of("大师"), code="level.unknown", level="error"),
        dict(line=line_of(flow(m[0]), 2), code="catalog.duplicate_major", level="error"),
        dict(line=line_of("- name: 商河县技工学校"), code="catalog.no_majors", level="error"),
        # no publisher.yaml beside it: checked as data, not as a project that files (no filing.missing)
    ]
    expect.sort(key=lambda e: e["line"])
    write_text(out / "catalog_errors.yaml", text)
    write_json(out / "catalog_errors.expected.json", expect)


# ---------------------------------------------------------------------------

def main():
    jinan = ROOT / "catalogs" / "jinan"
    write_text(jinan / "publisher.yaml", JINAN_CONFIG)
    write_catalog_xlsx(jinan / "catalog-2019.xlsx", "济南市", 2019, dt.date(2019, 2, 27),
                       CATALOG_2019)
    write_text(jinan / "catalog-2018.yaml", catalog_yaml(
        "济南市", 2018, dt.date(2018, 2, 26), catalog_2018(), "济南市2018年度精准技能扶贫技工院校和专业目录"))

    students = jinan_students()
    head = REG_HEAD + REG_OPTIONAL
    keys = REG_KEYS + OPT_KEYS
    write_person_table(jinan / "registrations.xlsx", heading="附件2",
                       title="济南市精准技能扶贫对象登记汇总表", unit="济南市人力资源社会保障局",
                       filled_on=dt.date(2019, 3, 20), head=head, keys=keys, rows=students,
                       filled_by="李明", phone="0531-86000001")
    admitted = []
    for i, st in enumerate(students):
        if i in NOT_ADMITTED:
            continue
        school = school_by_name(st["school"])
        code = OTHER_MAJOR.get(i)
        mj = major_by_code(school, code)["name"] if code else st["major"]
        admitted.append(dict(st, admitted_school=school["name"], admitted_major=mj,
                             report_date=school["report"]["date"],
                             report_place=school["report"]["place"]))
    write_person_table(jinan / "admissions.xlsx", heading=None,
                       title="济南市精准技能扶贫对象录取名单", unit="济南市人力资源社会保障局",
                       filled_on=dt.date(2019, 7, 15), head=head + ADM_EXTRA,
                       keys=keys + ["admitted_school", "admitted_major", "report_date",
                                    "report_place"],
                       rows=admitted, filled_by="李明", phone="0531-86000001")
    jinan_progress(jinan / "progress-2019H1.xlsx")

    province = ROOT / "catalogs" / "province"
    write_text(province / "publisher.yaml", PROVINCE_CONFIG)
    write_text(province / "notice.yaml", NOTICE_YAML)
    province_returns(province / "returns")

    data = ROOT / "tests" / "data"
    good_fixtures(data / "good")
    broken_registrations(data / "broken")
    broken_progress(data / "broken")
    broken_catalog(data / "broken")

    # every YAML written here must load
    for path in sorted((ROOT / "catalogs").rglob("*.yaml")) + sorted(data.rglob("*.yaml")):
        yaml.safe_load(path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
