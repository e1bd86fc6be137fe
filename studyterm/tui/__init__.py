"""The Textual review app. It calls the core API only: no Markdown parsing, no SQL here."""

import os

# Textual paces screen updates at TEXTUAL_FPS (60 by default), so a grade waited up to a whole
# 17 ms frame before the next question showed; at 120 the wait halves (docs/benchmarks.md).
# It must be set before Textual is first imported; a value the user set wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
