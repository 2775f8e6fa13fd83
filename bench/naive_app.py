"""The benchmark's peer: the Indicateurs charts drawn the way a typical Streamlit app does it.

`SELECT *` of the current indicator values into pandas, grouped there, `plotly.express`, no cache, no care
at all. Deliberately naive: it is the yardstick (issue 11 asks every page to take at most half its time),
not an example. It runs alone: `IAEDASH_DB=… streamlit run bench/naive_app.py`.
"""

import os

import duckdb
import plotly.express as px
import streamlit as st

st.set_page_config(page_title="Indicateurs (version naïve)", layout="wide")

LABELS = {
    "GOUV": "Accompagnements gouvernance",
    "FORM": "Formations",
    "JURI": "Interventions juridiques",
    "VEIL": "Publications et veilles",
    "WEBI": "Participants aux webinaires",
    "COMI": "Participations aux comités",
}

con = duckdb.connect(os.environ.get("IAEDASH_DB", "data/iaedash.duckdb"), read_only=True)
df = con.execute("SELECT * FROM current_indicator_values").df()
targets = con.execute("SELECT * FROM current_targets").df()
con.close()

year = st.sidebar.selectbox("Année", sorted(df["year"].unique(), reverse=True))
heads = st.sidebar.multiselect("Têtes de réseaux", sorted(df["network_head"].unique()))
df = df[df["year"] == year]
if heads:
    df = df[df["network_head"].isin(heads)]

st.title("Indicateurs")
for code, tab in zip(LABELS, st.tabs(list(LABELS.values())), strict=True):
    with tab:
        d = df[df["indicator"] == code]
        evo = d.groupby(["network_head", "quarter"], as_index=False)["value"].sum()
        evo["quarter"] = "T" + evo["quarter"].astype(str)
        fig = px.bar(
            evo, x="quarter", y="value", color="network_head", barmode="group", title=f"{LABELS[code]} – {year}"
        )
        st.plotly_chart(fig)
        st.dataframe(evo)
        cum = d.groupby("network_head", as_index=False)["value"].sum()
        t = targets[(targets["year"] == year) & (targets["indicator"] == code)]
        cum = cum.merge(t[["network_head", "target"]], on="network_head", how="left")
        fig = px.bar(cum, x="value", y="network_head", orientation="h", title=f"{LABELS[code]} : cumul et objectif")
        fig.add_scatter(x=cum["target"], y=cum["network_head"], mode="markers", name="objectif")
        st.plotly_chart(fig)
        st.dataframe(cum)
        st.dataframe(d.pivot_table(index="network_head", columns="quarter", values="value", aggfunc="sum"))
