"""The demo's [[unit]] tables: every analytic unit remarkit ships, as the paper uses them."""

DEMO_UNITS = """
"""
