"""Read-only questions over the store, one function per question, each returning a
DataFrame whose grain is stated in its docstring. No Streamlit here."""
