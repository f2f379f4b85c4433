"""Alrim (알림): one catalog of Korea's public services, matched to each person."""

__version__ = "0.1.0"
