"""Outreach hears the deals' moves (decision 0010): a closed deal's buyer gets home-care tips and
the partners that fit the flat, once the closing commits."""

from __future__ import annotations
