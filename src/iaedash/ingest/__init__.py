"""Reading, checking and loading submission files.

read  → raw cells with the line numbers a spreadsheet shows;
check → typed rows, or every problem of the file at once;
load  → one transaction per file, all or nothing.
"""
