"""Read and write quantities the way Chinese sources state them.

``parse_quantity("2.03万件")`` gives 20300 件; ``format_quantity(4310000000, "元")``
gives "43.1亿元". Arithmetic is done on decimals, so a figure written by
``format_quantity`` parses back to exactly the same float.

Chinese numerals
----------------
A number written in Chinese characters is read by the first of three rules
that fits; anything else is a :class:`QuantityParseError` that quotes the
text and names the rule it breaks.

1. **Digit by digit** (二零二一 → 2021, 一九九八 → 1998), as years and codes
   are written: only the digits 零/〇 一 … 九, no 十百千万亿, and either four
   or more of them or at least one 零/〇. Each character is one digit. 两 is
   never used this way, and the first digit is not 零.
2. **Approximate** (五六家 → 5–6, 三四十家 → 30–40, 二三百人 → 200–300,
   七八万人 → 70000–80000, 十五六 → 15–16, 一两个 → 1–2): exactly one pair
   of adjacent digits that rise by one (一二/一两, 二三/两三, 三四 … 八九), or
   the idiom 三五 ("three to five", a few) at the very start. The low end
   reads the numeral with the pair's first digit, the high end with its
   second, so a following 十/百/千/万 applies to both ends. The result is a
   range. 三五 elsewhere is not the idiom: 十三五 is the 13th Five-Year Plan,
   not 13–15, and is rejected.
3. **Positional** (十五, 一百零五, 三千零五十, 一万二千三百四十五, 三万亿):
   groups of four places closed by 万 (10^4) and 亿 (10^8), each at most once
   per level (万亿 = 10^12 is a 万 group before 亿). Inside a group the units
   千 百 十 fall strictly, each after its digit (only the first may stand
   alone: 十五, 百余); one 零 marks one or more skipped places and is never
   last. A digit right after a unit, without 零, is one place below that
   unit: 一千五 = 1500, 一万五 = 15000, 三百五 = 350 (and 十五 = 15).

Two digits side by side that are none of these (二二, 五三, 一二三) are
rejected rather than guessed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from ipbench._errors import QuantityParseError
from ipbench._vocabulary import UNITS

__all__ = ["Quantity", "QuantityParseError", "format_quantity", "parse_quantity"]

Qualifier = Literal["eq", "gt", "ge", "lt", "approx", "range"]


class Quantity(NamedTuple):
    """A parsed figure: value in the canonical unit, its qualifier and range end."""

    value: float
    unit: str
    qualifier: Qualifier = "eq"
    value_high: float | None = None


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

#: The one home of the Chinese numeral tables (see the module docstring for the grammar).
CHINESE_DIGITS = {
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
CHINESE_ZEROS = "零〇"
#: Units inside a group of four places, as powers of ten.
CHINESE_PLACES = {"十": 1, "百": 2, "千": 3}
#: Units that close a group: 万 = 10^4, 亿 = 10^8.
CHINESE_GROUPS = {"亿": 8, "万": 4}
#: 三五, "three to five" (a few): the one approximate pair whose digits do not rise by one.
A_FEW = "三五"
_ARABIC = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CHINESE_CHARS = "".join((*CHINESE_DIGITS, *CHINESE_PLACES))
_CHINESE_GROUP_CHARS = "".join(CHINESE_GROUPS)
# a trailing 万/亿 is left to the multiplier group, so that 5至6万 and 三十余万 read as before
_CHINESE = rf"[{_CHINESE_CHARS}]+(?:[{_CHINESE_GROUP_CHARS}]+[{_CHINESE_CHARS}]+)*"
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


class _Malformed(ValueError):
    """Why a Chinese numeral does not read; parse_quantity adds the text."""


def _is_rising_pair(first: str, second: str) -> bool:
    digits = CHINESE_DIGITS
    if first in CHINESE_ZEROS or second in CHINESE_ZEROS:
        return False
    return first in digits and second in digits and digits[second] == digits[first] + 1


def _chinese_numeral(numeral: str) -> tuple[Decimal, Decimal | None]:
    """Read a Chinese numeral: its value, and the high end when it is approximate.

    Examples
    --------
    >>> _chinese_numeral("一万零五")
    (Decimal('10005'), None)
    >>> _chinese_numeral("三四十")
    (Decimal('30'), Decimal('40'))
    >>> _chinese_numeral("二零二一")
    (Decimal('2021'), None)
    """
    if all(char in CHINESE_DIGITS for char in numeral):
        return _digits_only(numeral)
    pairs = [
        i
        for i in range(len(numeral) - 1)
        if _is_rising_pair(numeral[i], numeral[i + 1]) or (i == 0 and numeral[:2] == A_FEW)
    ]
    if len(pairs) > 1:
        raise _Malformed("has more than one pair of digits side by side")
    if pairs:
        i = pairs[0]
        head, tail = numeral[:i], numeral[i + 2 :]
        return _positional(head + numeral[i] + tail), _positional(head + numeral[i + 1] + tail)
    return _positional(numeral), None


def _digits_only(numeral: str) -> tuple[Decimal, Decimal | None]:
    if len(numeral) == 1:
        return Decimal(CHINESE_DIGITS[numeral]), None
    if len(numeral) == 2 and (_is_rising_pair(*numeral) or numeral == A_FEW):
        return Decimal(CHINESE_DIGITS[numeral[0]]), Decimal(CHINESE_DIGITS[numeral[1]])
    has_zero = any(char in CHINESE_ZEROS for char in numeral)
    if len(numeral) >= 4 or has_zero:
        if "两" in numeral:
            raise _Malformed("uses 两, which is never read digit by digit (write 二)")
        if numeral[0] in CHINESE_ZEROS:
            raise _Malformed("starts with 零 (a number read digit by digit does not)")
        return Decimal("".join(str(CHINESE_DIGITS[char]) for char in numeral)), None
    raise _Malformed(
        "is neither a number read digit by digit (four or more digits, or one with 零/〇, "
        "as in 二零二一) nor an approximation (two digits rising by one, as in 五六, or 三五)"
    )


def _positional(numeral: str) -> Decimal:
    for group, power in CHINESE_GROUPS.items():
        if group in numeral:
            head, _, tail = numeral.partition(group)
            if group in tail:
                raise _Malformed(f"has {group} twice")
            if not head:
                raise _Malformed(f"has no digit before {group}")
            return _positional(head).scaleb(power) + _group_tail(tail, group, power)
    return Decimal(_places(numeral))


def _group_tail(tail: str, group: str, power: int) -> Decimal:
    if not tail:
        return Decimal(0)
    if tail[0] in CHINESE_ZEROS:
        rest = _positional(tail[1:]) if tail[1:] else None
        if rest is None:
            raise _Malformed("ends with 零")
        if rest >= Decimal(1).scaleb(power - 1):
            raise _Malformed(f"has 零 after {group} where no place is skipped")
        return rest
    if len(tail) == 1 and tail in CHINESE_DIGITS:
        return Decimal(CHINESE_DIGITS[tail]).scaleb(power - 1)  # 一万五 = 15000
    return _positional(tail)


def _places(numeral: str) -> int:
    """One group of four places: 三千零五十, 十五, 一千五."""
    value, digit, after_zero = 0, None, False
    ceiling, previous = 4, ""  # the power and name of the last unit
    for char in numeral:
        if char in CHINESE_PLACES:
            power = CHINESE_PLACES[char]
            _check_place(char, power, ceiling, previous, bare=digit is None and value > 0)
            if after_zero and power >= ceiling - 1:
                raise _Malformed(f"has 零 before {char} where no place is skipped")
            value += (1 if digit is None else digit) * 10**power
            ceiling, previous, digit, after_zero = power, char, None, False
        elif digit is not None:
            raise _Malformed("has two digits side by side")
        elif char in CHINESE_ZEROS:
            if not value or after_zero:
                raise _Malformed("starts with 零" if not value else "has 零 twice in a row")
            after_zero = True
        else:
            digit = CHINESE_DIGITS[char]
    return value + _last_digit(digit, after_zero, ceiling, previous)


def _check_place(char: str, power: int, ceiling: int, previous: str, *, bare: bool) -> None:
    if power >= ceiling:
        raise _Malformed(f"has {char} after {previous}: units must fall (千, 百, 十)")
    if bare:
        raise _Malformed(f"has {char} without a digit before it")


def _last_digit(digit: int | None, after_zero: bool, ceiling: int, previous: str) -> int:
    if digit is None:
        if after_zero:
            raise _Malformed("ends with 零")
        return 0
    if ceiling == 4:
        return digit  # a single digit
    if not after_zero:
        return digit * int(10 ** (ceiling - 1))  # 十五 = 15, 一千五 = 1500
    if ceiling < 2:
        raise _Malformed(f"has 零 after {previous} where no place is skipped")
    return digit


def _is_chinese(number: str) -> bool:
    return bool(number) and re.fullmatch(_CHINESE, number) is not None


def _number(text: str) -> Decimal:
    if not text:
        return Decimal(1)  # 万余人: the multiplier alone means one of it
    return Decimal(text.replace(",", ""))


def parse_quantity(text: str) -> Quantity:
    """Read a figure as written in a Chinese source.

    Handles 万/亿/千/百 multipliers, full-width digits and signs, thousands
    separators, % and ‰, qualifiers (达, 超过, ＞, 以上, 近, 余, 多, 约, 左右),
    ranges (5−6家, 5-6, 5～6, 5至6) and Chinese numerals (一万零五, 五六家,
    二零二一). Money in 万元/亿元 is returned in 元.

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

    Chinese numerals (grammar in the module docstring): an approximate one is
    a range, a digit-by-digit one reads as its digits.

    >>> parse_quantity("七八万人")
    Quantity(value=70000.0, unit='人', qualifier='range', value_high=80000.0)
    >>> parse_quantity("二零二一")
    Quantity(value=2021.0, unit='', qualifier='eq', value_high=None)
    >>> parse_quantity("十十件")
    Traceback (most recent call last):
    ...
    ipbench.QuantityParseError: '十十件': the Chinese numeral '十十' has 十 after 十: ...
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
    value, approx_high = _read(match["number"], match["mult"] or "", text)
    high = None
    if approx_high is not None:  # 五六家, 三四十家: the numeral itself is a range
        why = (
            "cannot take 余/多"
            if match["around"] or match["after"]
            else "cannot take a qualifier"
            if qualifier != "eq"
            else "cannot be one end of a range"
            if match["high"]
            else ""
        )
        if why:
            raise QuantityParseError(
                f"{text!r}: {match['number']!r} is an approximate range; it {why}"
            )
        high, qualifier = approx_high, "range"
    if match["high"]:
        if qualifier != "eq":
            raise QuantityParseError(f"{text!r}: a range with a qualifier")
        high_multiplier = match["mult_high"] or match["mult"] or ""
        if match["mult_high"] and not match["mult"]:
            value = _exact(match["number"], high_multiplier, text)  # 5-6万: both in 万
        high = _exact(match["high"], high_multiplier, text)
        if high <= value:
            raise QuantityParseError(f"{text!r}: a range must rise")
        qualifier = "range"
    value, high, unit = _money_in_yuan(value, high, unit, text)
    low_float, high_float = float(value), None if high is None else float(high)
    if not math.isfinite(low_float) or (high_float is not None and not math.isfinite(high_float)):
        raise QuantityParseError(f"{text!r}: too large for a number")
    return Quantity(low_float, unit, qualifier, high_float)


def _read(number: str, multiplier: str, text: str) -> tuple[Decimal, Decimal | None]:
    """Read a number times its multiplier, and the high end of an approximate numeral."""
    scale = MULTIPLIERS.get(multiplier, Decimal(1))
    if not _is_chinese(number):
        return _number(number) * scale, None
    numeral = number
    if any(CHINESE_GROUPS.get(char, 0) > scale.adjusted() for char in number):
        # in 一亿二千万 the 万 closes the group 二千; in 一万零一万元 or 三十余万 it multiplies
        numeral, scale = number + multiplier, Decimal(1)
    try:
        low, high = _chinese_numeral(numeral)
    except _Malformed as error:
        raise QuantityParseError(f"{text!r}: the Chinese numeral {numeral!r} {error}") from None
    return low * scale, None if high is None else high * scale


def _exact(number: str, multiplier: str, text: str) -> Decimal:
    value, high = _read(number, multiplier, text)
    if high is not None:
        raise QuantityParseError(
            f"{text!r}: {number!r} is an approximate range; it cannot be one end of a range"
        )
    return value


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


#: The contract's units, plus what sources write before conversion (名, 万元, 亿元 …);
#: 所 counts schools and institutes (5所高校), 个百分点 a change of a percentage.
_KNOWN_UNITS = (*UNITS, "名", "所", "‰", "倍", "个百分点", "万元", "亿元", "万亿元", "千元", "百元")


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
