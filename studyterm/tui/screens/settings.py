"""Settings: what studyterm.toml holds (daily limits, the day's start, backups), per-deck
limits, and the theme. Saved with tomlkit, so the file keeps its comments."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from studyterm.config import ConfigError, DeckSettings
from studyterm.config_edit import Key, save_settings
from studyterm.tui.screens.browse import _deck_paths

HOURS = [(f"{hour:02d}:00", f"{hour:02d}:00") for hour in range(24)]
NO_LIMIT = "blank: no limit"


class SettingsScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, deck: str | None = None) -> None:
        super().__init__()
        self.first_deck = deck
        self.deck_limits: dict[str, DeckSettings] = {}
        self.shown_deck: str | None = None

    def compose(self) -> ComposeResult:
        config = self.app.collection.config
        self.deck_limits = dict(config.decks)
        decks = [node.path for node in _deck_paths(self.app.collection.deck_tree())]
        decks += sorted(set(self.deck_limits) - set(decks))
        start = f"{config.day_starts_at:%H:%M}"
        hours = HOURS if (start, start) in HOURS else [*HOURS, (start, start)]
        themes = sorted(self.app.available_themes)
        yield Header()
        with VerticalScroll(id="settings"):
            yield Static(f"[b]Collection[/b] [dim]{escape(str(self.app.collection.layout.config_path))}[/dim]")
            yield _row("New cards a day", Input(str(config.new_cards_per_day), id="new-per-day", type="integer", compact=True))
            yield _row("Reviews a day", Input(_text(config.reviews_per_day), id="reviews-per-day",
                                              type="integer", placeholder=NO_LIMIT, compact=True))
            yield _row("A study day starts at", Select(hours, value=start, allow_blank=False, id="day-start", compact=True))
            yield _row("Daily backups kept", Input(str(config.backups_kept), id="backups", type="integer", compact=True))
            yield Static("[b]A deck's own limits[/b] [dim](count the deck and its sub-decks; "
                         "the collection's limits apply too)[/dim]", classes="settings-heading")
            yield _row("Deck", Select([(deck, deck) for deck in decks], id="limit-deck", prompt="choose a deck",
                                      value=self.first_deck if self.first_deck in decks else Select.NULL, compact=True))
            yield _row("New cards a day", Input(id="deck-new", type="integer", placeholder=NO_LIMIT, disabled=True, compact=True))
            yield _row("Reviews a day", Input(id="deck-reviews", type="integer", placeholder=NO_LIMIT, disabled=True, compact=True))
            yield Static("[b]You[/b] [dim](remembered for you, not in the collection)[/dim]",
                         classes="settings-heading")
            yield _row("Theme", Select([(theme, theme) for theme in themes], value=self.app.theme,
                                       allow_blank=False, id="theme", compact=True))
            yield Static(id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "settings"
        self.show_deck(self.first_deck)

    @on(Select.Changed, "#limit-deck")
    def deck_chosen(self, event: Select.Changed) -> None:
        self.keep_deck_fields()
        self.show_deck(event.value if isinstance(event.value, str) else None)

    def show_deck(self, deck: str | None) -> None:
        self.shown_deck = deck
        limits = self.deck_limits.get(deck, DeckSettings()) if deck else DeckSettings()
        for widget_id, value in (("#deck-new", limits.new_cards_per_day),
                                 ("#deck-reviews", limits.reviews_per_day)):
            field = self.query_one(widget_id, Input)
            field.value = _text(value)
            field.disabled = deck is None

    def keep_deck_fields(self) -> None:
        """Hold the shown deck's limits (saved with the rest)."""
        if self.shown_deck is None:
            return
        self.deck_limits[self.shown_deck] = DeckSettings(
            _number(self.query_one("#deck-new", Input).value),
            _number(self.query_one("#deck-reviews", Input).value),
        )

    @on(Select.Changed, "#theme")
    def theme_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.app.theme = event.value  # seen at once; the app remembers it

    def changes(self) -> dict[Key, object | None]:
        self.keep_deck_fields()
        changes: dict[Key, object | None] = {
            ("review", "new_cards_per_day"): _number(self.query_one("#new-per-day", Input).value),
            ("review", "reviews_per_day"): _number(self.query_one("#reviews-per-day", Input).value),
            ("review", "day_starts_at"): self.query_one("#day-start", Select).value,
            ("backups", "keep"): _number(self.query_one("#backups", Input).value),
        }
        before = dict(self.app.collection.config.decks)
        for deck, limits in self.deck_limits.items():
            if limits != before.get(deck, DeckSettings()):
                changes[("decks", deck, "new_cards_per_day")] = limits.new_cards_per_day
                changes[("decks", deck, "reviews_per_day")] = limits.reviews_per_day
        return changes

    def action_save(self) -> None:
        collection = self.app.collection
        changes = self.changes()
        for key in (("review", "new_cards_per_day"), ("backups", "keep")):
            if changes[key] is None:
                self._error(f"{'.'.join(key)} needs a number")
                return
        try:
            config = save_settings(collection.layout.config_path, changes)
        except (ConfigError, OSError) as error:
            self._error(str(error))
            return
        collection.use_config(config)
        self.notify(f"Saved to {collection.layout.config_path.name}.", timeout=3)
        self.app.pop_screen()

    def _error(self, message: str) -> None:
        self.query_one("#settings-error", Static).update(f"[$error]Not saved: {escape(message)}[/]")

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_back(self) -> None:
        self.app.pop_screen()


def _row(label: str, field) -> Horizontal:
    return Horizontal(Label(label), field, classes="settings-row")


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else None
