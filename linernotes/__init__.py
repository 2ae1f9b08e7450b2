"""Liner Notes: an engineering-blog platform."""

__version__ = "0.1.0"
