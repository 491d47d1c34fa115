"""Cultuurwijzer: a local voting-advice application on culture statements."""
