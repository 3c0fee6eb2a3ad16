"""Shared figure builders in the house style (``remarkit.report.figures``).

One module per figure type (``roc``, ``km``, ``calibration``, ``violin``, ``decision``,
``marker``); import from the module. Each function takes plain numbers (arrays, small
dataclasses) and returns a matplotlib Figure for ``ctx.save_figure``; none computes statistics.
"""
