"""iaedash: the Département du Pas-de-Calais' dashboard of its IAE network heads' indicators."""

__version__ = "0.1.0"
