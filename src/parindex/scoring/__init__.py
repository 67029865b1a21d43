"""Scoring: the reference engine, ranking, explanation, and the compiled batch path."""
