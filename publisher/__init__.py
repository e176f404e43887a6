"""publisher: documents of Shandong's technical-schools poverty-alleviation programme."""

__version__ = "0.1.0"
