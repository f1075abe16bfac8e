"""Stage 4 helpers, normalise: printed numbers, units and names to exact values.

Pure functions on strings; amounts are Decimal, never float."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
NUMBER_RE = re.compile(NUMBER)
AMOUNT_RE = re.compile(rf"({NUMBER})\s*(万元|亿元|千元|元)")
_MONEY_FACTORS = {"万元": Decimal(1), "亿元": Decimal(10000), "千元": Decimal("0.1"),
                  "元": Decimal("0.0001")}


def parse_decimal(text):
    """Parse a printed number ('12,345.67', ' 987.65 ', '-27') to Decimal; None if not a number."""
    if text is None:
        return None
    return _parse_printed(str(text))  # str first: a cache keyed by Decimal would merge 1.0 and 1.00


@lru_cache(maxsize=65536)
def _parse_printed(text):
    cleaned = text.strip().replace(" ", "").replace("\u3000", "")
    cleaned = cleaned.rstrip("分")
    if not cleaned or not NUMBER_RE.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        return None


def to_wanyuan(value, unit):
    """Convert an exact Decimal printed in ``unit`` (元, 万元, 亿元, 千元) to 万元, exactly."""
    factor = _MONEY_FACTORS.get(unit)
    if factor is None:
        raise ValueError(f"not a money unit: {unit!r}")
    result = value * factor
    # keep the printed exponent for 万元; strip spurious trailing zeros introduced by scaling
    return result if unit == "万元" else result.normalize() if result != result.to_integral() else result.quantize(Decimal(1))


def same_amount(a, b):
    """True when two exact amounts are one printed number at different precisions: equal once the
    finer is rounded (half up) to the coarser's decimals (3121.42 and 3121.42058). Numbers printed
    without decimals are compared exactly (a printed 0 is not a rounded 0.3)."""
    if a == b:
        return True
    exponent = max(a.as_tuple().exponent, b.as_tuple().exponent)
    if exponent >= 0:
        return False
    step = Decimal(1).scaleb(exponent)
    return a.quantize(step, ROUND_HALF_UP) == b.quantize(step, ROUND_HALF_UP)


def parse_percent(text):
    """Parse '97.2%' or '-27%' to Decimal('97.2'); None for placeholders such as '**%'."""
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%\s*", text or "")
    return Decimal(m.group(1)) if m else None


def find_amounts(text):
    """Yield (Decimal in 万元, printed number, printed unit, start, end) for each money amount in text."""
    for m in AMOUNT_RE.finditer(text):
        value = parse_decimal(m.group(1))
        if value is not None:
            yield to_wanyuan(value, m.group(2)), m.group(1), m.group(2), m.start(), m.end()


@lru_cache(maxsize=65536)
def clean_name(text):
    """Normalise a printed name: spaces inside Chinese text removed, brackets made half-width."""
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text or "")
    return text.replace("（", "(").replace("）", ")").strip(" :：")
