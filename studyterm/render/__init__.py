"""Turning card Markdown into what a terminal can show (no Textual here)."""
