"""Lists write their rows' links from one reversed URL (labs.templatetags.links): the
same links as ``{% url %}``."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def test_row_links_are_the_urls_django_reverses():
    context = Context({"slug": "valle", "ids": [1, 42, 100640]})
    ours = Template(
        "{% load links %}{% row_url 'people:person-detail' slug as person_url %}"
        "{% for pk in ids %}{{ person_url|with_id:pk }} {% endfor %}"
    ).render(context)
    django = Template("{% for pk in ids %}{% url 'people:person-detail' slug pk %} {% endfor %}")
    assert ours == django.render(context)
    assert ours.split() == [
        "/progetti/valle/persone/1/",
        "/progetti/valle/persone/42/",
        "/progetti/valle/persone/100640/",
    ]


def test_the_id_may_sit_inside_the_url():
    ours = Template(
        "{% load links %}{% row_url 'followups:contact-create' 'valle' as url %}{{ url|with_id:7 }}"
    ).render(Context({}))
    assert ours == "/progetti/valle/percorsi/7/follow-up/contatti/nuovo/"


def test_a_url_whose_last_argument_is_no_id_is_refused():
    """Without the project, the marker would stand for the project's slug."""
    with pytest.raises(TemplateSyntaxError):
        Template("{% load links %}{% row_url 'people:person-list' as url %}").render(Context({}))
