"""Fitting FSRS to the learner's own log, and comparing schedulers on it.

The optimizer (py-fsrs's, on torch) runs in its own process (worker.py): torch never loads in
the app or the CLI. runner.py starts it and reads its progress; service.py is what the CLI calls.
"""
