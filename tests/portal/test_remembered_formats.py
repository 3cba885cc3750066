"""The portal's date, time and floatformat filters (labs.templatetags.remembered_formats)
remember their texts, and write exactly what Django's own filters write: in each
language, for equal numbers of different types, and for datetimes in the current time
zone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template, defaultfilters
from django.utils import timezone, translation

from labs.templatetags import remembered_formats as rf

D = Decimal

DATES = [dt.date(2019, 6, 3), dt.date(2020, 1, 31)]
DATE_FORMATS = ['"d/m/Y"', '"D d/m/Y"', '"l j F"', '"F Y"', '"M"']
TIMES = [dt.time(9, 5), dt.time(17, 30)]
NUMBERS = [0, 2, 1234, D("2"), D("2.0"), D("2.50"), D("-0.00"), D("1234.565"), 2.0, 0.125]
# "u2" is no format floatformat knows: it writes the value as it is, 2.0 as "2.0".
NUMBER_FORMATS = ['"0g"', '"-1g"', '"2"', '"-2"', '"2g"', "", '"2u"', '"u2"']


def render(text: str, **context) -> str:
    """Twice, so that the second text comes from the cache."""
    template = Template(text)
    first = template.render(Context(context))
    assert template.render(Context(context)) == first
    return first


@pytest.mark.parametrize("language", ["it", "en"])
def test_dates_and_times_read_as_djangos_filters_write_them(language):
    with translation.override(language):
        for value in DATES:
            for fmt in DATE_FORMATS:
                ours = render(f"{{{{ value|date:{fmt} }}}}", value=value)
                assert ours == defaultfilters.date(value, fmt.strip('"'))
        for value in TIMES:
            ours = render('{{ value|time:"H:i" }}', value=value)
            assert ours == defaultfilters.time(value, "H:i")


def test_a_month_is_named_in_the_language_of_the_page():
    with translation.override("it"):
        assert render('{{ value|date:"l j F" }}', value=DATES[0]) == "Lunedì 3 Giugno"
    with translation.override("en"):
        assert render('{{ value|date:"l j F" }}', value=DATES[0]) == "Monday 3 June"
    with translation.override("it"):
        assert render('{{ value|date:"l j F" }}', value=DATES[0]) == "Lunedì 3 Giugno"


@pytest.mark.parametrize("language", ["it", "en"])
def test_figures_read_as_djangos_floatformat_writes_them(language):
    with translation.override(language):
        for value in NUMBERS:
            for fmt in NUMBER_FORMATS:
                arg = f":{fmt}" if fmt else ""
                expected = (
                    defaultfilters.floatformat(value, fmt.strip('"'))
                    if fmt
                    else defaultfilters.floatformat(value)
                )
                assert render(f"{{{{ value|floatformat{arg} }}}}", value=value) == expected


def test_the_templates_use_the_remembered_filters():
    """The second date, time and figure of the same value and format are not worked out
    again (the builtin is in TEMPLATES' options)."""
    before = [f.cache_info().hits for f in (rf._date, rf._time, rf._floatformat)]
    render(
        '{{ d|date:"d/m/Y" }} {{ t|time:"H:i" }} {{ n|floatformat:"2" }}',
        d=DATES[1],
        t=TIMES[1],
        n=D("3.75"),
    )
    after = [f.cache_info().hits for f in (rf._date, rf._time, rf._floatformat)]
    assert all(a > b for a, b in zip(after, before, strict=True))


def test_a_datetime_is_written_in_the_current_time_zone():
    moment = dt.datetime(2019, 6, 3, 22, 30, tzinfo=dt.UTC)
    assert render('{{ value|date:"d/m/Y H:i" }}', value=moment) == "04/06/2019 00:30"
    with timezone.override("UTC"):
        assert render('{{ value|date:"d/m/Y H:i" }}', value=moment) == "03/06/2019 22:30"
