"""Data (Secretariat): upload documents with their metadata, each file checked before anything
is stored; store and classify them with visible progress; list and delete documents; the
audit log. Reading the list is open; every write needs a signed-in Secretariat user."""

import datetime

import pandas as pd
import streamlit as st

from ieg_analysis.analytics.documents import audit_entries, document_count, document_list
from ieg_analysis.analytics.filters import KIND_LABELS, LANGUAGE_LABELS
from ieg_analysis.curation import check_uploads, classify_new, delete_document, store_uploads
from ieg_analysis.errors import IEGError
from ieg_analysis.ingest.pipeline import IngestRequest
from ieg_analysis.records import KINDS, OBSERVER_TYPES
from ieg_analysis.reference import load_reference
from ui.auth import sign_in_panel
from ui.common import cached, page_header, settings

st.set_page_config(page_title="Data · IEG Analysis", page_icon="🗂️", layout="wide")
db, source = page_header(
    "Data",
    "Add the documents received for a meeting, check what is stored, and see who changed what.",
)
user = sign_in_panel()
reference = load_reference()
PENDING, NOTICE = "data_pending_upload", "data_notice"
DOCUMENTS_PER_PAGE = 100
if NOTICE in st.session_state:
    st.success(st.session_state.pop(NOTICE))


def upload_form() -> None:
    st.subheader("Add documents")
    with st.form("upload", clear_on_submit=False):
        files = st.file_uploader(
            "Files (PDF, DOCX, TXT, MD, CSV, JSON)",
            type=["pdf", "docx", "txt", "md", "csv", "json"],
            accept_multiple_files=True,
        )
        left, middle, right = st.columns(3)
        meeting = left.selectbox(
            "Meeting",
            sorted(reference.meetings),
            format_func=lambda n: reference.meetings[n].name,
        )
        kind = middle.selectbox("Kind", KINDS, format_func=lambda k: k.replace("_", " "))
        received = right.date_input("Received", value=None, max_value=datetime.date.today())
        submitter = left.text_input("Submitter (a State, or an observer)", max_chars=200)
        actor_type = middle.selectbox(
            "Actor type, for a new observer",
            [None, *OBSERVER_TYPES],
            format_func=lambda t: "a State or known observer" if t is None else t.replace("_", " "),
        )
        checked = st.form_submit_button("Check the files")
    if checked:
        if not files:
            st.warning("Choose at least one file.")
            return
        requests = [
            IngestRequest(
                name=f.name,
                data=f.getvalue(),
                meeting=meeting,
                submitter=submitter,
                kind=kind,
                received=received,
                actor_type=actor_type,
            )
            for f in files
        ]
        outcomes = check_uploads(db, requests, settings=settings())
        st.session_state[PENDING] = (requests, outcomes)
    if PENDING in st.session_state:
        requests, outcomes = st.session_state[PENDING]
        st.dataframe(
            pd.DataFrame(
                [{"file": o.name, "check": o.status, "detail": o.message} for o in outcomes]
            ),
            hide_index=True,
            width="stretch",
        )
        ready = [r for r, o in zip(requests, outcomes, strict=True) if o.status == "ready"]
        if not ready:
            st.info("No file is ready to store.")
        elif st.button(f"Store {len(ready)} file(s)", type="primary"):
            store(ready)


def store(requests: list[IngestRequest]) -> None:
    with st.status("Storing the documents…", expanded=True) as status:
        bar = st.progress(0.0, text="Storing")

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / max(total, 1), text=f"{done} of {total}: {name}")

        try:
            report = store_uploads(db, requests, settings=settings(), user=user, progress=progress)
            for outcome in report.outcomes:
                st.write(f"**{outcome.status}** {outcome.name}: {outcome.message}")
            status.update(label="Classifying the new passages…")
            st.write(classify_new(db, settings(), progress=progress))
        except IEGError as error:
            status.update(label="Storing failed", state="error")
            st.error(str(error))
            return
        status.update(label=f"Done. {report.summary()}", state="complete", expanded=False)
    st.session_state.pop(PENDING, None)
    st.session_state[NOTICE] = f"Stored the upload: {report.summary()}"
    st.rerun()


def documents_section() -> None:
    st.subheader("Documents")
    if not cached(db, source, document_count):
        st.info("No documents are stored yet.")
        return
    left, right = st.columns([1, 3])
    meeting = left.selectbox(
        "Meeting",
        [None, *sorted(reference.meetings)],
        format_func=lambda n: "All meetings" if n is None else f"{n}: {reference.meetings[n].name}",
        key="data_meeting",
    )
    search = right.text_input(
        "Find a document",
        placeholder="Words of its file name, title or submitter",
        max_chars=200,
        key="data_search",
    )
    total = cached(db, source, document_count, meeting=meeting, search=search)
    if not total:
        st.info("No stored document matches. Choose another meeting or change the words.")
        return
    pages = -(-total // DOCUMENTS_PER_PAGE)
    page = 1
    if pages > 1:
        page = st.number_input(
            f"Page (of {pages:,}; {DOCUMENTS_PER_PAGE} documents a page, the most recently "
            "added first)",
            min_value=1,
            max_value=pages,
            value=1,
            key=f"data_page-{meeting}-{search}",  # back to page 1 when the list changes
        )
    documents = cached(
        db,
        source,
        document_list,
        offset=(int(page) - 1) * DOCUMENTS_PER_PAGE,
        limit=DOCUMENTS_PER_PAGE,
        meeting=meeting,
        search=search,
    )
    st.dataframe(
        documents.assign(
            kind=documents["kind"].map(KIND_LABELS).fillna(documents["kind"]),
            language=documents["language"].map(LANGUAGE_LABELS).fillna("–"),
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "id": st.column_config.NumberColumn("Id", format="%d"),
            "meeting": st.column_config.NumberColumn("Meeting", format="%d"),
            "submitter": "Submitter",
            "kind": "Kind",
            "language": "Language",
            "received": st.column_config.DateColumn("Received"),
            "source_name": "File",
            "source_format": "Format",
            "n_passages": st.column_config.NumberColumn("Passages", format="localized"),
            "recommendations": "Recommendations",
            "ingested_at": st.column_config.DatetimeColumn(
                "Added (UTC)", format="D MMM YYYY, HH:mm"
            ),
            "is_sample": st.column_config.CheckboxColumn(
                "Sample", help="Generated by IEG Analysis to demonstrate the product"
            ),
        },
    )
    first = (int(page) - 1) * DOCUMENTS_PER_PAGE + 1
    st.caption(f"Documents {first:,}–{first + len(documents) - 1:,} of {total:,}.")
    if not user:
        return
    with st.form("delete"):
        chosen = st.selectbox(
            "Delete a document of this page (with its passages, classifications, "
            "recommendations and comments)",
            documents["id"].tolist(),
            format_func=lambda i: f"{i}: {documents.set_index('id').at[i, 'source_name']}",
        )
        sure = st.checkbox("Yes, delete it")
        if st.form_submit_button("Delete"):
            if not sure:
                st.warning("Tick 'Yes, delete it' to confirm.")
            else:
                try:
                    detail = delete_document(db, int(chosen), user=user)
                except IEGError as error:
                    st.error(str(error))
                else:
                    st.session_state[NOTICE] = f"Deleted document {chosen}: {detail}"
                    st.rerun()


if user:
    upload_form()
documents_section()
if user:
    st.subheader("Audit log")
    log = cached(db, source, audit_entries)
    if log.empty:
        st.info("Nothing has been added, deleted or relabelled yet.")
    else:
        st.dataframe(log, hide_index=True, width="stretch")
