"""Pure statistical functions on numpy/pandas (no engine imports)."""
