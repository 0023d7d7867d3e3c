"""Matching needs and listings, explained, and the matches an agent sends on to clients.

Two rooms (decision 0009, "Where the code lives"):

- ``search/``: the engine — criteria, scoring, the layout tables, the in-memory copy, analysis,
  learning. It answers questions and keeps its tables current; it records nothing for agents.
- ``records/``: the matches — recording what a listing newly matches, marks, approvals, a need's
  match settings, and the reads the pages and the API show.

At the top, what Django and the other apps look for: ``models`` (both rooms' tables), ``api`` and
``schemas`` (one Router: /needs/{id}/matches, /listings/{id}/matches, /matches…, /needs/{id}/analysis),
``listeners`` (what the apps below announce), ``tasks`` (background jobs) and ``workbench``
(the 新匹配 items).
"""
