"""Read and write quantities the way Chinese sources state them.

``parse_quantity("2.03万件")`` gives 20300 件; ``format_quantity(4310000000, "元")``
gives "43.1亿元". Arithmetic is done on decimals, so a figure written by
``format_quantity`` parses back to exactly the same float.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from ipbench._vocabulary import UNITS

__all__ = ["Quantity", "QuantityParseError", "format_quantity", "parse_quantity"]

Qualifier = Literal["eq", "gt", "ge", "lt", "approx", "range"]


class Quantity(NamedTuple):
    """A parsed figure: value in the canonical unit, its qualifier and range end."""

    value: float
    unit: str
    qualifier: Qualifier = "eq"
    value_high: float | None = None


class QuantityParseError(ValueError):
    """Text that does not read as a quantity."""


MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}

#: Words before the number. 以上 and 以下 include the number itself in Chinese
#: legal usage (Civil Code art. 1259), so 以上 is ``ge``; 超过/＞ exclude it.
PREFIXES: tuple[tuple[str, Qualifier], ...] = (
    ("不少于", "ge"),
    ("不低于", "ge"),
    ("达到", "eq"),
    ("超过", "gt"),
    ("大于", "gt"),
    ("高于", "gt"),
    ("多于", "gt"),
    ("小于", "lt"),
    ("低于", "lt"),
    ("少于", "lt"),
    ("接近", "lt"),
    ("≥", "ge"),
    ("达", "eq"),
    ("为", "eq"),
    ("超", "gt"),
    ("逾", "gt"),
    (">", "gt"),
    ("<", "lt"),
    ("近", "lt"),
    ("约", "approx"),
    ("=", "eq"),
)
SUFFIXES: tuple[tuple[str, Qualifier], ...] = (
    ("以上", "ge"),
    ("左右", "approx"),
    ("上下", "approx"),
)
#: 余/多 sit between the number and its multiplier or unit: 30余次, 万余人, 200多次.
ROUNDED_DOWN = ("余", "多")
RANGE_SEPARATORS = "-−–—~～至到"

_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARABIC = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+"
_MULTIPLIER = r"(?:万亿|亿|万|千|百)"
_PATTERN = re.compile(
    rf"^(?P<number>{_ARABIC}|{_CHINESE}|(?={_MULTIPLIER}))(?P<around>[余多])?(?P<mult>{_MULTIPLIER})?"
    rf"(?P<after>[余多])?(?:\s*(?P<sep>[{re.escape(RANGE_SEPARATORS)}])\s*(?P<high>{_ARABIC}|{_CHINESE})"
    rf"(?P<mult_high>{_MULTIPLIER})?)?(?P<unit>.*)$"
)


def _normalise(text: str) -> str:
    # NFKC turns full-width digits, letters and signs (０-９, ＞, ％, ，) into ASCII
    text = unicodedata.normalize("NFKC", text).strip().replace("﹪", "%")
    # a leading minus sign (U+2212) is a sign, elsewhere it separates a range
    return "-" + text[1:] if text.startswith("−") else text


def _chinese_number(text: str) -> Decimal:
    total, digit = 0, 0
    for char in text:
        if char in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[char]
        else:
            total += (digit or 1) * _CHINESE_UNITS[char]
            digit = 0
    return Decimal(total + digit)


def _number(text: str) -> Decimal:
    if not text:
        return Decimal(1)  # 万余人: the multiplier alone means one of it
    if re.fullmatch(_CHINESE, text):
        return _chinese_number(text)
    return Decimal(text.replace(",", ""))


def parse_quantity(text: str) -> Quantity:
    """Read a figure as written in a Chinese source.

    Handles 万/亿/千/百 multipliers, full-width digits and signs, thousands
    separators, % and ‰, qualifiers (达, 超过, ＞, 以上, 近, 余, 多, 约, 左右)
    and ranges (5−6家, 5-6, 5～6, 5至6). Money in 万元/亿元 is returned in 元.

    Parameters
    ----------
    text : str
        One figure, e.g. ``"43.1亿元"``, ``"超过1300家"``, ``"5−6家"``.

    Returns
    -------
    Quantity
        ``value`` in the canonical unit, ``unit`` (the measure word, 元, %, ‰,
        件/万人 …), ``qualifier`` and, for a range, ``value_high``.

    Raises
    ------
    QuantityParseError
        When the text is not one figure; the message quotes the text.

    Examples
    --------
    >>> parse_quantity("2.03万件")
    Quantity(value=20300.0, unit='件', qualifier='eq', value_high=None)
    >>> parse_quantity("知识产权质押融资总额43.1亿元".removeprefix("知识产权质押融资总额"))
    Quantity(value=4310000000.0, unit='元', qualifier='eq', value_high=None)
    >>> parse_quantity("＞２８００")
    Quantity(value=2800.0, unit='', qualifier='gt', value_high=None)
    >>> parse_quantity("5−6家")
    Quantity(value=5.0, unit='家', qualifier='range', value_high=6.0)
    >>> parse_quantity("万余人")
    Quantity(value=10000.0, unit='人', qualifier='gt', value_high=None)
    """
    if not isinstance(text, str):
        raise QuantityParseError(f"expected text, got {text!r}")
    body, qualifier = _strip_qualifier(_normalise(text), text)
    match = _PATTERN.match(body)
    if match is None or (not match["number"] and not match["mult"]):
        raise QuantityParseError(f"{text!r} does not read as a quantity")
    unit = match["unit"].strip()
    if re.search(r"\d", unit) or (unit and not _is_unit(unit)):
        raise QuantityParseError(f"{text!r}: {unit!r} is not a unit")
    if match["around"] or match["after"]:
        if qualifier != "eq" or match["high"]:
            raise QuantityParseError(f"{text!r}: 余/多 with another qualifier or a range")
        qualifier = "gt"
    multiplier = MULTIPLIERS.get(match["mult"] or "", Decimal(1))
    value = _number(match["number"]) * multiplier
    high = None
    if match["high"]:
        if qualifier != "eq":
            raise QuantityParseError(f"{text!r}: a range with a qualifier")
        high_multiplier = MULTIPLIERS.get(match["mult_high"] or "", multiplier)
        if match["mult_high"] and not match["mult"]:
            value = _number(match["number"]) * high_multiplier  # 5-6万: both in 万
        high = _number(match["high"]) * high_multiplier
        if high <= value:
            raise QuantityParseError(f"{text!r}: a range must rise")
        qualifier = "range"
    value, high, unit = _money_in_yuan(value, high, unit, text)
    return Quantity(float(value), unit, qualifier, None if high is None else float(high))


def _strip_qualifier(body: str, text: str) -> tuple[str, Qualifier]:
    qualifier: Qualifier = "eq"
    for word, meaning in PREFIXES:
        if body.startswith(word):
            body, qualifier = body.removeprefix(word).strip(), meaning
            break
    for word, meaning in SUFFIXES:
        if body.endswith(word):
            if qualifier != "eq":
                raise QuantityParseError(f"{text!r}: two qualifiers")
            body, qualifier = body.removesuffix(word).strip(), meaning
            break
    return body, qualifier


def _money_in_yuan(
    value: Decimal, high: Decimal | None, unit: str, text: str
) -> tuple[Decimal, Decimal | None, str]:
    if not unit.endswith("元") or unit == "元":
        return value, high, unit
    multiplier = MULTIPLIERS.get(unit.removesuffix("元"))
    if multiplier is None:
        raise QuantityParseError(f"{text!r}: unknown money unit {unit!r}")
    return value * multiplier, None if high is None else high * multiplier, "元"


#: The contract's units, plus what sources write before conversion (名, 万元, 亿元 …).
_KNOWN_UNITS = (*UNITS, "名", "‰", "倍", "万元", "亿元", "万亿元", "千元", "百元")


def _is_unit(unit: str) -> bool:
    return unit in _KNOWN_UNITS


#: Words that read an English figure; counts of things are left bare.
UNIT_EN = {
    "件": "",
    "家": "",
    "个": "",
    "人": "people",
    "名": "people",
    "人次": "person-times",
    "笔": "transactions",
    "项": "items",
    "次": "times",
    "场": "events",
    "门": "courses",
    "%": "%",
    "‰": "‰",
    "件/万人": "per 10k residents",
    "家/万企": "per 10k enterprises",
    "倍": "×",
}
_QUALIFIER_ZH = {"eq": "{}", "gt": "超过{}", "ge": "{}以上", "lt": "近{}", "approx": "约{}"}
_QUALIFIER_EN = {
    "eq": "{}",
    "gt": "more than {}",
    "ge": "at least {}",
    "lt": "nearly {}",
    "approx": "about {}",
}


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _scaled_zh(value: float, unit: str) -> tuple[Decimal, str]:
    exact = Decimal(repr(value))
    if unit == "元":
        for word in ("亿", "万"):
            if abs(exact) >= MULTIPLIERS[word]:
                return exact / MULTIPLIERS[word], word
    elif unit in ("件", "个", "家", "人", "人次", "笔", "项", "次") and abs(exact) >= 100_000:
        return exact / MULTIPLIERS["万"], "万"
    return exact, ""


def format_quantity(
    value: float,
    unit: str,
    *,
    lang: Literal["zh", "en"] = "zh",
    qualifier: Qualifier = "eq",
    value_high: float | None = None,
    significant: int | None = None,
) -> str:
    """Write a figure the way a reader of ``lang`` expects it.

    Chinese uses 万/亿 (money from 1万元, counts from 10万); English uses CNY
    with m/bn and thousands separators. With ``significant=None`` the Chinese
    text is exact, so :func:`parse_quantity` reads back the same value.

    Parameters
    ----------
    value : float
        In the canonical unit (元 for money).
    unit : str
        The canonical unit: a measure word, 元, %, ‰, 件/万人, 家/万企, 倍.
    lang : {"zh", "en"}
        Language of the text.
    qualifier : {"eq", "gt", "ge", "lt", "approx", "range"}
        Written as 超过/以上/近/约 (more than/at least/nearly/about), or as a range.
    value_high : float, optional
        Upper end of a range.
    significant : int, optional
        Round to this many significant digits; English defaults to 3 for money.

    Examples
    --------
    >>> format_quantity(4310000000, "元")
    '43.1亿元'
    >>> format_quantity(4310000000, "元", lang="en")
    'CNY 4.31 bn'
    >>> format_quantity(2800, "件", qualifier="gt")
    '超过2800件'
    >>> format_quantity(5, "家", qualifier="range", value_high=6, lang="en")
    '5–6'
    >>> format_quantity(20300, "件", lang="en")
    '20,300'
    """
    if qualifier == "range" and value_high is None:
        raise ValueError("a range needs value_high")
    if not math.isfinite(value) or (value_high is not None and not math.isfinite(value_high)):
        raise ValueError(f"cannot write {value!r} as a quantity")
    if lang == "zh":
        number, word = _scaled_zh(value, unit)
        text = _plain(_round(number, significant))
        if qualifier == "range":
            assert value_high is not None
            scale = MULTIPLIERS[word] if word else Decimal(1)
            high = _plain(_round(Decimal(repr(value_high)) / scale, significant))
            return f"{text}-{high}{word}{unit}"
        return _QUALIFIER_ZH[qualifier].format(f"{text}{word}{unit}")
    if lang != "en":
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    text = _english(value, unit, significant)
    if qualifier == "range":
        assert value_high is not None
        return f"{text}–{_english(value_high, unit, significant)}".replace(" –", "–")
    return _QUALIFIER_EN[qualifier].format(text)


def _english(value: float, unit: str, significant: int | None) -> str:
    exact = Decimal(repr(value))
    if unit == "元":
        for word, scale in (("bn", Decimal(10) ** 9), ("m", Decimal(10) ** 6)):
            if abs(exact) >= scale:
                return f"CNY {_plain(_round(exact / scale, significant or 3))} {word}"
        return f"CNY {_grouped(_round(exact, significant))}"
    words = UNIT_EN.get(unit, unit)
    number = _grouped(_round(exact, significant))
    if words in ("%", "‰"):
        return f"{number}{words}"
    return f"{number} {words}".strip()


def _grouped(number: Decimal) -> str:
    text = _plain(number)
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}"
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def _round(number: Decimal, significant: int | None) -> Decimal:
    if significant is None or number == 0:
        return number
    exponent = number.adjusted() - significant + 1
    return number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)
