"""Printed documents built from the read models: the fiche réseau as a PDF (`fiche`), its house style (`pdf`)
and its charts drawn for black-and-white print (`print_charts`)."""
