"""The Textual review app. It calls the core API only: no Markdown parsing, no SQL here."""
