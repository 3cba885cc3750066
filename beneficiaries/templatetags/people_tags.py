from django import template

from beneficiaries.people import selectors

register = template.Library()


@register.inclusion_tag("beneficiaries/_home_attention.html", takes_context=True)
def people_attention(context):
    """What needs a social worker's attention on the home page."""
    return {"items": selectors.attention_counts(context["request"].user)}
