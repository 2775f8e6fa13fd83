"""Figures: data frames in, Plotly figures out. No Streamlit, no database: testable on their own."""
