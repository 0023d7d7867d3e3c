"""Market figures from the agency's own listings (and deals, once they exist)."""
