"""Readers and validators for remarkit's input files; each raises ``remarkit.InputError``."""

from remarkit.io.table import read_table, to_numeric

__all__ = ["read_table", "to_numeric"]
