"""Analyses built on scoring: reproducing published scores, sensitivity, planning."""
