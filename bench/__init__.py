"""iaedash's benchmark (not part of pytest): `python -m bench`, see bench/README.md."""
