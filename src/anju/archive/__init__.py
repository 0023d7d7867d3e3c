"""The archive of a deal's documents (资料归档): stored with their hash, downloads logged."""
