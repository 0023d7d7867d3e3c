"""The demo agency behind ``anju demo``: a Wuhan brokerage with realistic, reproducible data.

An app without models, installed so that it brings its own command (``management/commands/demo.py``).
``generate.demo_generate`` is the entry point; the other modules hold the reference data and the
row generators it streams from.
"""
