"""Deals (交易): negotiation, intent agreement, contract and commission split."""
