"""Read the <select> boxes of a page as a user sees them: attributes and options."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Option:
    value: str
    text: str = ""
    selected: bool = False


@dataclass
class Select:
    attrs: dict
    options: list = field(default_factory=list)

    @property
    def values(self):
        """The values offered, the empty choice left out."""
        return [option.value for option in self.options if option.value]

    @property
    def disabled(self):
        return "disabled" in self.attrs

    @property
    def selected(self):
        return [option.value for option in self.options if option.selected]


class _SelectParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.selects = {}
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = Select(attrs=attrs)
            self.selects[attrs.get("name")] = self._select
        elif tag == "option" and self._select is not None:
            self._option = Option(value=attrs.get("value") or "", selected="selected" in attrs)
            self._select.options.append(self._option)

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select":
            self._select = self._option = None

    def handle_data(self, data):
        if self._option is not None:
            self._option.text += data.strip()


def selects(response):
    """{name: Select} of every <select> on the page of ``response``."""
    parser = _SelectParser()
    parser.feed(response.content.decode())
    return parser.selects


def offers_managers(box, *users):
    """Whether the manager ``box`` is enabled and offers exactly ``users``."""
    return not box.disabled and sorted(box.values) == sorted(str(user.pk) for user in users)
