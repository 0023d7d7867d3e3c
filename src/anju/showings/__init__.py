"""Showings (带看): plans, routes, confirmations, feedback and the seller's report."""
