"""Measurement outputs for people: overlays, histograms, summary.json and report.html."""

from .html import write_report

__all__ = ["write_report"]
