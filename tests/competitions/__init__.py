"""Competitions and seasons (issue 16): the ranking formulas, the rules, the freeze at the end."""
