"""IEG Analysis: the entry point. It only routes: every page lives in ``pages/``.

Run with ``streamlit run dashboard.py`` (or ``make run``).
"""

import streamlit as st

st.set_page_config(page_title="IEG Analysis", page_icon="🌐", layout="wide")
st.navigation(
    [
        st.Page("pages/0_Overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(
            "pages/1_Explorer.py",
            title="Submissions explorer",
            icon=":material/search:",
            url_path="explorer",
        ),
        st.Page(
            "pages/2_Capacity_building.py",
            title="Capacity-building needs",
            icon=":material/handshake:",
            url_path="capacity-building",
        ),
        st.Page(
            "pages/3_Recommendations.py",
            title="Recommendation coverage",
            icon=":material/checklist:",
            url_path="recommendations",
        ),
        st.Page(
            "pages/4_Topics.py",
            title="Topics and the model",
            icon=":material/label:",
            url_path="topics",
        ),
        st.Page(
            "pages/5_Briefing.py",
            title="Briefing and exports",
            icon=":material/present_to_all:",
            url_path="briefing",
        ),
        st.Page("pages/6_Data.py", title="Data", icon=":material/database:", url_path="data"),
        st.Page(
            "pages/7_Consolidation.py",
            title="Consolidation",
            icon=":material/merge:",
            url_path="consolidation",
        ),
        st.Page(
            "pages/8_Matching.py",
            title="Needs and offers",
            icon=":material/join_inner:",
            url_path="needs-and-offers",
        ),
        st.Page(
            "pages/10_Evidence.py",
            title="Recommendation evidence",
            icon=":material/manage_search:",
            url_path="recommendation-evidence",
        ),
        st.Page(
            "pages/9_Work_plan_tracker.py",
            title="Work-plan tracker",
            icon=":material/event_available:",
            url_path="work-plan-tracker",
        ),
        st.Page(
            "pages/11_Review.py",
            title="Label review",
            icon=":material/rate_review:",
            url_path="label-review",
        ),
    ]
).run()
