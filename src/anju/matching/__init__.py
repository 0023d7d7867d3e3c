"""Matching needs and listings, explained, and the matches an agent sends on to clients."""
