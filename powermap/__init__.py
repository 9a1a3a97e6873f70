"""powermap: graph-based stakeholder power maps for key-account teams."""

__version__ = "0.1.0"
