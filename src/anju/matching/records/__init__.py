"""Matching's records: the matches found for agents and what they and their clients made of them.

- ``recording``: writing down the needs a new, re-priced or re-confirmed listing now matches.
- ``services``: the agent's marks (喜欢 / 不考虑 / 已看房), approving a batch to send.
- ``need_settings``: an agent widening a need's budget tolerance or asking for 真房源 only.
- ``selectors``: reading matches (the agent's, one by id) and the engine's answers as pages show them.

Built on ``anju.matching.search``; the search never imports this package.
"""
