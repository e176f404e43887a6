"""Make admissions workbooks of any size (plus their catalog) for benchmarks and tests.

    python bench/make_admissions.py OUT_DIR [N ...]      # default: 2000 10000

writes OUT_DIR/catalog.yaml and OUT_DIR/admissions-N.xlsx.  Deterministic
(seeded); every 身份证号 has a correct GB 11643 check character, a Shandong
county code and a birth date giving age 15–18 on the fill date; nobody exists.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
COUNTIES = {"370102": "济南市历下区", "370112": "济南市历城区", "370124": "济南市平阴县", "370126": "济南市商河县",
            "370116": "济南市莱芜区", "370114": "济南市章丘区", "370113": "济南市长清区"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤亓"
GIVEN = ("浩然", "子涵", "梓萱", "宇轩", "欣怡", "博文", "思远", "雨桐", "天宇", "佳怡", "志强", "晓东", "梦雪",
         "家豪", "文静", "俊杰", "婷婷", "明辉", "秀娟", "帅", "磊", "敏", "鑫", "静", "洋", "倩", "健", "丹")
MAJORS = (("0103", "数控加工"), ("0401", "汽车维修"), ("0601", "电气自动化设备安装与维修"), ("0201", "焊接加工"),
          ("1201", "计算机网络应用"), ("1501", "烹饪（中式烹调）"), ("0701", "电子技术应用"), ("1301", "会计"))
LEVELS = ("中级工", "高级工", "预备技师")
SCHOOLS = ("济南技师学院", "山东公路技师学院", "济南市高级技工学校", "平阴县技工学校", "商河县技工学校", "莱芜技师学院",
           "章丘区技工学校", "长清区技工学校")
FILLED = dt.date(2019, 7, 15)
HEAD = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校",
        "拟就读专业", "人员类别", "录取院校", "录取专业"]


def id_number(rng: random.Random, region: str, gender: str) -> str:
    birth = dt.date(2001, 8, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
    seq = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def catalog(schools: int) -> dict:
    rng = random.Random(7)
    out = []
    for i, name in enumerate(SCHOOLS[:schools]):
        majors = rng.sample(MAJORS, 5)
        out.append({"name": name, "type": "技师学院" if "技师" in name else "技工学校", "affiliation": "市属",
                    "address": f"济南市历城区工业北路{i * 7 + 1}号", "phone": f"0531-8{rng.randrange(1000000, 9999999)}",
                    "report": {"date": "2019-09-01", "place": "学校新生报到处（教学楼一楼大厅）"},
                    "majors": [{"code": c, "name": n, "level": LEVELS[j % 3], "years": 3 + j % 3, "plan": 400,
                                "note": ""} for j, (c, n) in enumerate(majors)]})
    return {"kind": "catalog", "city": "济南市", "year": 2019, "published_on": "2019-02-26", "schools": out}


def write_catalog(path: Path, schools: int) -> dict:
    import yaml
    data = catalog(schools)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return data


def write_admissions(path: Path, n: int, cat: dict, seed: int = 1, dorms: bool = False) -> None:
    """``dorms``: a school's own column 宿舍号 at the end (a field of its letter template)."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("录取名单")
    ws.append(["济南市2019年精准技能扶贫录取名单"])
    ws.append([f"填表单位（盖章）：济南市人力资源社会保障局    填表时间：{FILLED.year}年{FILLED.month}月{FILLED.day}日"])
    ws.append(HEAD + (["宿舍号"] if dorms else []))
    used = set()
    for i in range(1, n + 1):
        gender = rng.choice("男女")
        region = rng.choice(sorted(COUNTIES))
        id_no = id_number(rng, region, gender)
        while id_no in used:
            id_no = id_number(rng, region, gender)
        used.add(id_no)
        school = rng.choice(cat["schools"])
        major = rng.choice(school["majors"])["name"]
        ws.append([i, rng.choice(SURNAMES) + rng.choice(GIVEN), gender, "汉族", f"{region}{rng.randrange(10**11, 10**12)}",
                   id_no, f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                   f"{COUNTIES[region]}{rng.choice('东西南北')}关镇{rng.choice(SURNAMES)}庄村{rng.randrange(1, 200)}号",
                   school["name"], major, "应届初中毕业生", school["name"], major]
                  + ([f"{rng.randrange(1, 9)}号楼{rng.randrange(1, 6)}{rng.randrange(1, 30):02d}"] if dorms else []))
    wb.save(path)


def make(folder: Path, n: int, schools: int = 6, seed: int = 1, dorms: bool = False) -> tuple[Path, Path]:
    """(admissions workbook, catalog) for ``n`` students over ``schools`` schools in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    cat_path = folder / "catalog.yaml"
    cat = write_catalog(cat_path, schools)
    adm_path = folder / f"admissions-{n}{'-dorms' if dorms else ''}.xlsx"
    write_admissions(adm_path, n, cat, seed, dorms)
    return adm_path, cat_path


def main(argv: list[str]) -> int:
    import argparse
    parser = argparse.ArgumentParser(description="Make admissions workbooks (and their catalog) for benchmarks.")
    parser.add_argument("out_dir", nargs="?", default="bench-data", type=Path)
    parser.add_argument("counts", nargs="*", type=int, default=[2000, 10000], metavar="N")
    args = parser.parse_args(argv)
    for count in args.counts:
        adm, cat = make(args.out_dir, count)
        print(f"wrote {adm} and {cat}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
