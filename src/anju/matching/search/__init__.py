"""Matching's search engine: which listings fit a need, and which needs a listing satisfies.

- ``criteria``: what a need asks for (``NeedCriteria``), read from the need and its settings.
- ``scoring``: the one definition of fit and score, computed in Python, rendered to SQL, run on NumPy.
- ``layout``: the two tables built for the two questions and how they follow every write.
- ``engine``: the two questions, answered from the layout (or from ``resident``), best first.
- ``resident``: the layout held in memory as NumPy columns, for companies at a million rows.
- ``analysis``: 需求分析 — how many listings fit, and which single change adds the most.
- ``learning``: what the agent's 喜欢 / 不考虑 marks teach the next ranking.

The search reads the match records' models (a rejected listing is left out, marks are learned
from) but never their services: ``anju.matching.records`` is built on top of it.
"""
