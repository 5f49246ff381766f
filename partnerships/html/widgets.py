"""The public lists' filter forms, with their inputs and selects drawn in Python.

Django draws each widget through a template and includes (`django/forms/widgets/*.html`), which
was an eighth of a list page's time for four or five fields. `FilterFormRenderer` writes the same
markup for the simple inputs and selects, and leaves every other widget to Django's templates;
tests/test_filters.py checks that both draw the same HTML for every filter of every list.
"""

from django.forms.renderers import DjangoTemplates

from partnerships.html.markup import escaped

WIDGETS = "django/forms/widgets/"
INPUTS = {f"{WIDGETS}{name}.html" for name in ("input", "text", "number", "hidden", "search", "email", "url")}
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"


def _attrs(attrs):
    return "".join(
        f" {name}" if value is True else f' {name}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
    return f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option(option):
    return f'<option value="{escaped(option["value"])}"{_attrs(option["attrs"])}>{escaped(option["label"])}</option>'


def _select(widget):
    parts = [f'<select name="{escaped(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}\n")  # Django's option template ends with a new line
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FilterFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        html = None
        if template_name in INPUTS:
            html = _input(widget)
        elif template_name == SELECT:
            html = _select(widget)
        return html if html is not None else super().render(template_name, context, request)


RENDERER = FilterFormRenderer()
