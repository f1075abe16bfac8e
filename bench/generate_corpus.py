"""Generate a synthetic corpus of budget disclosures from the seed documents in examples/.

Each copy gets a new unit name, fiscal year and amount scale, chosen deterministically from the seed."""

import argparse
import random
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from budgetkg.etl.extract.metadata import extract_metadata  # noqa: E402
from budgetkg.etl.read import read_document  # noqa: E402

SEEDS = REPO / "examples"
SYLLABLES = "安 宝 北 昌 长 川 大 德 东 丰 阜 广 桂 海 和 河 华 淮 惠 吉 嘉 江 金 靖 开 康 乐 临 龙 鹿 洛 眉 绵 南 宁 平 青 庆 泉 山 上 绍 泰 通 威 西 祥 新 兴 阳 宜 永 玉 源 云 泽 肇 镇 中 遵".split()
LEVELS = ["市", "县", "州", "区"]
AGENCIES = ["社会保险中心", "社会保险事务中心", "社会保险管理局", "医疗保障局", "人力资源和社会保障局",
            "就业服务中心", "财政局", "统计局", "水务局", "林业和草原局", "住房公积金管理中心", "数据资源管理局"]
YEARS = range(2015, 2026)
# an amount with two decimals, optionally with thousands separators, not part of a date or a percentage
AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})(?![\d%]|\.\d)")
CENT = Decimal("0.01")


def seed_documents():
    """Return [(path, text, unit, year)] for the seed documents, sorted by name."""
    seeds = []
    for path in sorted(SEEDS.glob("*.txt")):
        meta = extract_metadata(read_document(path)["lines"])
        seeds.append((path, path.read_text(encoding="utf-8"), meta["unit"], meta["year"]))
    return seeds


def unit_names(rng):
    """Yield distinct plausible org names such as '嘉临市社会保险中心'."""
    seen = set()
    while True:
        name = "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 3)))) + rng.choice(LEVELS) + rng.choice(AGENCIES)
        if name not in seen:
            seen.add(name)
            yield name


def vary(text, unit, year, new_unit, new_year, factor):
    """Substitute the unit name, shift the year (and its neighbours), scale every amount."""
    text = text.replace(unit, new_unit)
    delta = new_year - year

    def shift(m):
        y = int(m.group(1))
        return f"{y + delta if abs(y - year) <= 1 else y}{m.group(2)}"
    text = re.sub(r"(?<!\d)((?:19|20)\d{2})(\s*年)", shift, text)

    def scale(m):
        value = (Decimal(m.group(1).replace(",", "") + "." + m.group(2)) * factor).quantize(CENT, ROUND_HALF_UP)
        return f"{value:,.2f}" if "," in m.group(1) else f"{value:.2f}"
    return AMOUNT.sub(scale, text)


def generate(out_dir, n, seed=0):
    """Write n documents doc_00001.txt ... to out_dir, cycling through the seeds; return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    seeds, names, paths = seed_documents(), unit_names(rng), []
    for i in range(n):
        path, text, unit, year = seeds[i % len(seeds)]
        factor = Decimal(rng.randint(800, 1250)) / 1000
        doc = vary(text, unit, year, next(names), rng.choice(YEARS), factor)
        target = out_dir / f"doc_{i + 1:05d}.txt"
        target.write_bytes(doc.encode("utf-8"))
        paths.append(target)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, args.count, args.seed)
    print(f"wrote {len(paths)} documents to {args.out_dir}")


if __name__ == "__main__":
    main()
