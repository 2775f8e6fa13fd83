"""The final-report pack (bilan final) of one network head and year: the narrative draft (.docx) and the
financial workbook (.xlsx), built from the current versions of what the network head sent."""
