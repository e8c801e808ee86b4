"""PartnerBoard: one card per partner class (school, city, languages, local time, profile)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

import ipywidgets as widgets
from traitlets import Instance, TraitError, Unicode, observe, validate

from ..exchange import Exchange, PartnerClass
from ..i18n import first, locales, tr

CARD_STYLE = (
    "display:inline-block;vertical-align:top;width:230px;margin:4px;padding:10px;"
    "border-radius:6px;border:1px solid #ccc;border-top:6px solid {colour};"
    "font:13px/1.4 sans-serif;background:#fff"
)


def language_name(code: str, locale: str) -> str:
    """The name of a language code in ``locale`` (the code itself if babel does not know it)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(locale) or code
    except (UnknownLocaleError, ValueError):
        return code


def card_html(cls: PartnerClass, locale: str = "en", now: datetime | None = None) -> str:
    """The card of one class; every field is escaped. Labels in each of ``locale``'s
    languages, names in the first."""
    local = cls.local_now(now)
    labels = locale
    locale = first(locale)
    languages = ", ".join(language_name(code, locale) for code in cls.languages)
    colour = cls.colour if cls.colour.startswith("#") and len(cls.colour) <= 9 else "#999"
    parts = [
        f'<div class="vx-card" style="{CARD_STYLE.format(colour=html.escape(colour))}">',
        f"<div><b>{html.escape(cls.school)}</b></div>",
        f"<div>{html.escape(cls.city)}, {html.escape(cls.country_name(locale))}</div>",
        f"<div>{html.escape(tr('Languages:', labels))} {html.escape(languages)}</div>",
        f"<div>{html.escape(tr('Local time:', labels))} "
        f'<span class="vx-time">{local:%a %H:%M}</span> '
        f"<small>({html.escape(cls.timezone)})</small></div>",
    ]
    if cls.teacher:
        parts.append(f"<div>{html.escape(tr('Teacher:', labels))} {html.escape(cls.teacher)}</div>")
    if cls.profile:
        parts.append(f'<p class="vx-profile">{html.escape(cls.profile)}</p>')
    parts.append("</div>")
    return "".join(parts)


class PartnerBoard(widgets.VBox):
    """Cards of the partner classes of an exchange, with a button to refresh local times."""

    locale = Unicode(
        "en",
        help='Language of labels, country and language names, e.g. "fr", "sw"; several joined '
        'by commas ("fr,es") label in each, names in the first.',
    )
    now = Instance(
        datetime, allow_none=True, help="Aware time the cards show; None means the current time."
    )

    def __init__(
        self,
        exchange: Exchange | None = None,
        *,
        locale: str = "en",
        now: datetime | None = None,
        **kwargs: Any,
    ) -> None:
        if exchange is None:
            from ..workspace import find_workspace

            exchange = find_workspace().load()
        self.exchange = exchange
        self.cards = widgets.HTML()
        self.refresh_button = widgets.Button(
            description=tr("Refresh times", locale), icon="refresh"
        )
        super().__init__(**kwargs)
        self.children = [self.cards, self.refresh_button]
        self.refresh_button.on_click(lambda _: self.refresh())
        self.locale = locale
        self.now = now
        self.refresh()

    @validate("locale")
    def _valid_locale(self, proposal: dict[str, Any]) -> str:
        from babel import Locale, UnknownLocaleError

        value = proposal["value"]
        for one in locales(value):
            try:
                Locale.parse(one.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                raise TraitError(
                    f'"{one}" is not a language code like "en", "fr" or "sw".'
                ) from None
        return value

    @observe("locale", "now")
    def _changed(self, change: dict[str, Any]) -> None:
        if hasattr(self, "cards"):
            self.refresh()

    def refresh(self) -> None:
        """Draw the cards again (local times move on)."""
        self.refresh_button.description = tr("Refresh times", self.locale)
        self.cards.value = "".join(
            card_html(cls, self.locale, self.now) for cls in self.exchange.classes
        )
