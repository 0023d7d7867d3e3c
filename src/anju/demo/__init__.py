"""The demo agency behind ``anju demo``: a Wuhan brokerage with realistic, reproducible data.

A plain package, not a Django app: it owns no models. ``generate.demo_generate`` is the entry
point; the other modules hold the reference data and the row generators it streams from.
"""
