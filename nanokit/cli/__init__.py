"""Command-line interface: a click group in ``main.py`` and one module per command."""
