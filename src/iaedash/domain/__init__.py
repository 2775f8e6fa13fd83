"""Pure rules of the call: no I/O, no database, no Streamlit.

Everything that decides money or dates lives here so that it can be tested
with plain values and changed in one place.
"""
