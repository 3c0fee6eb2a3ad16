"""The installed version of remarkit."""

__version__ = "0.1.0"
