"""Pages of the Streamlit app (run by st.navigation from ui/app.py); presentation only."""
