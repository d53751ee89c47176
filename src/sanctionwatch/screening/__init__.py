"""Screening names against the stored lists."""
