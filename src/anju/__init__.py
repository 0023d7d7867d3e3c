"""安居 Anju — an open-source system for real-estate brokerages."""

__version__ = "0.1.0"
