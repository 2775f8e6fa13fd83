"""Presenters: the French tables, labels and sentences of each topic, from the typed read models of
iaedash.reports. Pages lay out widgets and call one presenter function per section."""
