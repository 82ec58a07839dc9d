"""The Streamlit page's parts: the sidebar's controls kept in step with the URL, users' layers, the panels the
map's tools fill, downloads, safe text, and a session's lifetime and memory."""
