"""studyterm: spaced-repetition flashcards and runnable labs for learning deep learning."""

__version__ = "0.1.0"
