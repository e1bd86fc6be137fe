"""Study plan and progress: what the learner studies (studyplan.toml), how far they are (mastery,
derived from the review log and lab runs, never typed in), statistics and the Markdown report.

Everything here but `plan.load_plan` is a pure function of records the store reads in bulk
(studyterm/store/progress.py), so the figures are tested with hand-made logs.
"""
