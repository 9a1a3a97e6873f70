"""Pure analyses over an account's NetworkX graph (see :mod:`powermap.graph`); they return plain data."""
