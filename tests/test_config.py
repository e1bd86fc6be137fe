"""studyterm.toml: reading the limits, and writing settings back with every comment kept."""

import pytest

from studyterm.config import DEFAULT_CONFIG_TEXT, ConfigError, DeckSettings, load_config
from studyterm.config_edit import save_settings


def test_deck_limits_and_the_review_limit_are_read(tmp_path):
    path = tmp_path / "studyterm.toml"
    path.write_text('[review]\nreviews_per_day = 150\n\n[decks."dlfs2/ch01"]\nnew_cards_per_day = 4\n')
    config = load_config(path)
    assert config.reviews_per_day == 150
    assert config.decks == (("dlfs2/ch01", DeckSettings(new_cards_per_day=4)),)
    assert load_config(tmp_path / "missing.toml").reviews_per_day is None


def test_a_bad_deck_limit_names_its_key(tmp_path):
    path = tmp_path / "studyterm.toml"
    path.write_text('[decks."b"]\nreviews_per_day = -1\n')
    with pytest.raises(ConfigError, match=r'decks\."b"\.reviews_per_day'):
        load_config(path)


def test_saving_settings_keeps_comments_and_untouched_keys(tmp_path):
    path = tmp_path / "studyterm.toml"
    path.write_text(DEFAULT_CONFIG_TEXT + '\n# my own note about formats\n[formats]\n"vault" = "obsidian"\n')
    config = save_settings(path, {
        ("review", "new_cards_per_day"): 8,
        ("review", "reviews_per_day"): 120,
        ("review", "day_starts_at"): "05:00",
        ("decks", "pytorch", "new_cards_per_day"): 3,
    })
    text = path.read_text()
    for line in DEFAULT_CONFIG_TEXT.splitlines():
        if line.startswith("#"):
            assert line in text
    assert "# my own note about formats" in text and '"vault" = "obsidian"' in text
    assert (config.new_cards_per_day, config.reviews_per_day, config.day_starts_at.hour) == (8, 120, 5)
    assert config.decks == (("pytorch", DeckSettings(new_cards_per_day=3)),)
    assert load_config(path) == config

    config = save_settings(path, {("decks", "pytorch", "new_cards_per_day"): None,
                                  ("review", "reviews_per_day"): None})
    assert config.decks == () and config.reviews_per_day is None
    assert "[decks" not in path.read_text().replace('# [decks."dlfs2"]', "")


def test_a_refused_value_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "studyterm.toml"
    path.write_text(DEFAULT_CONFIG_TEXT)
    with pytest.raises(ConfigError, match="day_starts_at"):
        save_settings(path, {("review", "day_starts_at"): "late"})
    assert path.read_text() == DEFAULT_CONFIG_TEXT
    assert not list(tmp_path.glob("*.tmp"))
