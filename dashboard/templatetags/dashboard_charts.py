"""The dashboards' charts as inline SVG (dashboard.charts.svg)."""

from django import template

from dashboard import charts

register = template.Library()


@register.simple_tag
def chart_svg(chart):
    return charts.svg(chart)
