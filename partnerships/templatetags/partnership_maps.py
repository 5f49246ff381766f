from django import template

from partnerships.maps import map_data as build_map_data

register = template.Library()


@register.simple_tag
def map_data(*groups, focus=None):
    """{% map_data relationships others focus=partner as data %}: what templates/partnerships/_map.html draws."""
    return build_map_data(*groups, focus=focus or None)
