"""Reading and writing figures as Chinese sources state them."""

from __future__ import annotations

import pytest

import ipbench
from ipbench import Quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.03万件", Quantity(20300, "件")),
        ("43.1亿元", Quantity(4310000000, "元")),
        ("769.9142万元", Quantity(7699142, "元")),
        ("１２，３４５件", Quantity(12345, "件")),  # full-width digits and comma
        ("23,800件", Quantity(23800, "件")),
        ("32.9%", Quantity(32.9, "%")),
        ("３‰", Quantity(3, "‰")),
        ("−3.5%", Quantity(-3.5, "%")),  # a leading minus sign is a sign
        ("达到18000件", Quantity(18000, "件", "eq")),
        ("达300件", Quantity(300, "件", "eq")),
        ("超过1300家", Quantity(1300, "家", "gt")),
        ("超2800件", Quantity(2800, "件", "gt")),
        ("＞2800", Quantity(2800, "", "gt")),
        ("85%以上", Quantity(85, "%", "ge")),
        ("近500人", Quantity(500, "人", "lt")),
        ("30余次", Quantity(30, "次", "gt")),
        ("200多次", Quantity(200, "次", "gt")),
        ("万余人", Quantity(10000, "人", "gt")),
        ("约3亿元", Quantity(300000000, "元", "approx")),
        ("3亿元左右", Quantity(300000000, "元", "approx")),
        ("5−6家", Quantity(5, "家", "range", 6)),
        ("5-6", Quantity(5, "", "range", 6)),
        ("5～6家", Quantity(5, "家", "range", 6)),
        ("5至6个", Quantity(5, "个", "range", 6)),
        ("10-12万件", Quantity(100000, "件", "range", 120000)),
        ("五家", Quantity(5, "家")),
        ("三千万元", Quantity(30000000, "元")),
    ],
)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    assert ipbench.parse_quantity(text) == expected


@pytest.mark.parametrize(
    "text", ["同比增长32.9%", "abc", "", "5-3家", "超过近5件", "约5-6家", "12件件", "3美元"]
)
def test_unreadable_text_names_itself(text: str) -> None:
    with pytest.raises(ipbench.QuantityParseError) as caught:
        ipbench.parse_quantity(text)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("value", "unit", "lang", "options", "expected"),
    [
        (4310000000, "元", "zh", {}, "43.1亿元"),
        (4310000000, "元", "en", {}, "CNY 4.31 bn"),
        (190000000, "元", "en", {}, "CNY 190 m"),
        (7699142, "元", "zh", {}, "769.9142万元"),
        (20300, "件", "zh", {}, "20300件"),
        (138000, "件", "zh", {}, "13.8万件"),
        (20300, "件", "en", {}, "20,300"),
        (95.42, "件/万人", "en", {}, "95.42 per 10k residents"),
        (2800, "件", "zh", {"qualifier": "gt"}, "超过2800件"),
        (2800, "件", "en", {"qualifier": "gt"}, "more than 2,800"),
        (5, "家", "zh", {"qualifier": "range", "value_high": 6}, "5-6家"),
        (12345.678, "件", "zh", {"significant": 3}, "12300件"),
    ],
)
def test_format_quantity(
    value: float, unit: str, lang: str, options: dict[str, object], expected: str
) -> None:
    assert ipbench.format_quantity(value, unit, lang=lang, **options) == expected  # type: ignore[arg-type]


def test_format_rejects_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="cannot write"):
        ipbench.format_quantity(float("nan"), "件")
    with pytest.raises(ValueError, match="needs value_high"):
        ipbench.format_quantity(5, "家", qualifier="range")
