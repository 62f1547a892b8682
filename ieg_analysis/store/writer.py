"""The only module that writes to the store. Every document is one transaction: it is
stored whole, with its passages, recommendations and comments, or not at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Sequence
from types import TracebackType

import duckdb
import pandas as pd
import pyarrow as pa

from ..errors import InputFileError, InvalidValueError
from ..records import Actor, ParsedDocument
from ..reference import Reference, normalise_name
from .db import Database
from .facts import CUBE_SQL, TERM_CUBE_SQL
from .matches import (
    MARK_MATCHED_SQL,
    MATCH_NEED_SQL,
    MATCH_OFFER_SQL,
    STATE_TYPES_SQL,
    STORED_PER_NEED,
    affected_needs_sql,
    fill_links_sql,
)
from .schema import migrate

_PASSAGE_COLUMNS = [
    "id",
    "document_id",
    "seq",
    "heading",
    "para_number",
    "text",
    "language",
    "page",
]


class Writer:
    """A write session on one database: open it with ``with Writer(db) as writer:``. It holds
    the database alone (readers wait at the gate), so keep it short: one document, one batch
    of classifications; parse and read before entering it."""

    # a write that touches the offers of more than this share of the offering submitters, or
    # whose offers reach more than this share of the needs, ranks every need's offers again
    MATCH_WHOLE_PROVIDERS = 0.25
    MATCH_WHOLE_NEEDS = 0.5

    def __init__(self, db: Database) -> None:
        self.db = db
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stack: contextlib.ExitStack | None = None

    def __enter__(self) -> Writer:
        self.db.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as stack:
            stack.enter_context(self.db.gate(write=True))
            self._con = self.db._open()
            stack.callback(self._close)
            migrate(self._con)
            self._stack = stack.pop_all()
        return self

    def _close(self) -> None:
        if self._con is not None:
            self.db._close(self._con)
            self._con = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise RuntimeError("Writer used outside its 'with' block")
        return self._con

    def _transaction(self) -> _Transaction:
        return _Transaction(self.con)

    # Reference data ---------------------------------------------------------------------
    def sync_reference(self, reference: Reference) -> None:
        """Replace the reference tables with the files' current content."""
        countries = pd.DataFrame([vars(c) for c in reference.countries.values()])
        meetings = pd.DataFrame(
            [
                {
                    "number": m.number,
                    "name": m.name,
                    "start_date": m.start_date,
                    "end_date": m.end_date,
                    "stocktaking": m.stocktaking,
                    "submission_deadline": reference.deadline(m.number),
                    "note": m.note,
                    "agenda": m.agenda,
                }
                for m in reference.meetings.values()
            ]
        )
        topics = pd.DataFrame(
            [
                {k: getattr(t, k) for k in ("id", "label", "short_label", "meeting", "ordinal")}
                for t in reference.topics.values()
            ]
        )
        with self._transaction():
            regions = self._regions_fingerprint()
            for table, frame in (("country", countries), ("meeting", meetings), ("topic", topics)):
                self.con.execute(f"delete from {table}")  # noqa: S608 - fixed table names
                self.con.register("frame_in", frame)
                columns = ", ".join(frame.columns)
                self.con.execute(
                    f"insert into {table} ({columns}) select {columns} from frame_in"  # noqa: S608
                )
                self.con.unregister("frame_in")
            self._refresh_facts(full=regions != self._regions_fingerprint(), bumped=False)

    def observers(self) -> dict[str, Actor]:
        rows = self.con.execute(
            "select name, actor_type, country_iso3 from actor "
            "where actor_type not in ('member_state', 'observer_state')"
        ).fetchall()
        return {normalise_name(name): Actor(name, kind, iso3) for name, kind, iso3 in rows}

    def register_observer(self, actor: Actor) -> int:
        with self._transaction():
            return self._actor_id(actor)

    def _actor_id(self, actor: Actor) -> int:
        row = self.con.execute("select id from actor where name = ?", [actor.name]).fetchone()
        if row:
            return row[0]
        return self.con.execute(
            "insert into actor (name, actor_type, country_iso3) values (?, ?, ?) returning id",
            [actor.name, actor.actor_type, actor.country_iso3],
        ).fetchone()[0]

    # Documents --------------------------------------------------------------------------
    def content_hashes(self) -> set[str]:
        """The content hash of every stored document (to skip known files before parsing)."""
        return {row[0] for row in self.con.execute("select content_hash from document").fetchall()}

    def has_hash(self, content_hash: str) -> bool:
        row = self.con.execute(
            "select 1 from document where content_hash = ?", [content_hash]
        ).fetchone()
        return row is not None

    def stored_hashes(self, content_hashes: Sequence[str]) -> set[str]:
        """Those of ``content_hashes`` that a stored document has."""
        rows = self.con.execute(
            "select content_hash from document where list_contains(?, content_hash)",
            [list(content_hashes)],
        ).fetchall()
        return {row[0] for row in rows}

    def add_document(self, parsed: ParsedDocument, *, user: str | None = None) -> int:
        """Store one document whole, in one transaction (with its audit entry when ``user``
        is given); return its id."""
        with self._transaction():
            actor_id = self._actor_id(parsed.meta.actor)
            meta = parsed.meta
            document_id = self.con.execute(
                "insert into document (meeting, actor_id, kind, language, received, title, "
                "source_name, source_format, content_hash, n_passages, n_pages, is_sample) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
                [
                    meta.meeting,
                    actor_id,
                    meta.kind,
                    parsed.language,
                    meta.received,
                    meta.title,
                    parsed.source_name,
                    parsed.source_format,
                    parsed.content_hash,
                    len(parsed.passages),
                    parsed.n_pages,
                    parsed.is_sample,
                ],
            ).fetchone()[0]
            if parsed.passages:
                start = self._passage_id_start(len(parsed.passages))
                frame = pd.DataFrame(
                    [
                        (
                            start + i,
                            document_id,
                            p.seq,
                            p.heading,
                            p.para_number,
                            p.text,
                            p.language,
                            p.page,
                        )
                        for i, p in enumerate(parsed.passages, start=1)
                    ],
                    columns=_PASSAGE_COLUMNS,
                )
                frame["page"] = frame["page"].astype("Int32")
                self.con.register("passages_in", frame)
                self.con.execute(
                    "insert into passage select * from passages_in"  # columns in table order
                )
                self.con.unregister("passages_in")
            self._add_recommendations(parsed, document_id)
            self._add_comments(parsed, document_id)
            if user:
                self._audit(
                    user,
                    "add_document",
                    f"document {document_id}",
                    f"{parsed.source_name} ({meta.kind}, meeting {meta.meeting}, "
                    f"{meta.actor.name}): {len(parsed.passages)} passages",
                )
            self._bump_version()
            self._refresh_facts("document_id = ?", [document_id])
        return document_id

    def add_documents(
        self, documents: Sequence[ParsedDocument], *, user: str | None = None
    ) -> dict[str, int]:
        """Store many documents in one transaction, with one bulk insert per table (their
        actors, documents, passages and audit entries) and one data-version bump; return
        the new document id of each content hash. All are stored whole or none is. For
        documents without recommendations or comments (a list of those goes through
        :meth:`add_document`, which checks them one by one); a content hash already stored
        raises ``duckdb.ConstraintException`` and stores nothing."""
        if any(d.recommendations or d.comments for d in documents):
            raise ValueError("add_documents takes documents without recommendations or comments")
        if not documents:
            return {}
        with self._transaction():
            actors = self._actor_ids([d.meta.actor for d in documents])
            self.con.register(
                "documents_in",
                pa.table(
                    {
                        "meeting": pa.array([d.meta.meeting for d in documents], pa.int32()),
                        "actor_id": pa.array(
                            [actors[d.meta.actor.name] for d in documents], pa.int32()
                        ),
                        "kind": [d.meta.kind for d in documents],
                        "language": pa.array([d.language for d in documents], pa.string()),
                        "received": pa.array([d.meta.received for d in documents], pa.date32()),
                        "title": pa.array([d.meta.title for d in documents], pa.string()),
                        "source_name": [d.source_name for d in documents],
                        "source_format": [d.source_format for d in documents],
                        "content_hash": [d.content_hash for d in documents],
                        "n_passages": pa.array([len(d.passages) for d in documents], pa.int32()),
                        "n_pages": pa.array([d.n_pages for d in documents], pa.int32()),
                        "is_sample": pa.array([d.is_sample for d in documents], pa.bool_()),
                    }
                ),
            )
            columns = (
                "meeting, actor_id, kind, language, received, title, source_name, "
                "source_format, content_hash, n_passages, n_pages, is_sample"
            )
            ids = dict(
                self.con.execute(
                    f"insert into document ({columns}) select {columns} from documents_in "  # noqa: S608
                    "returning content_hash, id"
                ).fetchall()
            )
            self.con.unregister("documents_in")
            passages = [(ids[d.content_hash], p) for d in documents for p in d.passages]
            start = self._passage_id_start(len(passages))
            if passages:
                self.con.register(
                    "passages_in",
                    pa.table(
                        {
                            "id": pa.array(range(start + 1, start + 1 + len(passages)), pa.int64()),
                            "document_id": pa.array([i for i, _ in passages], pa.int32()),
                            "seq": pa.array([p.seq for _, p in passages], pa.int32()),
                            "heading": pa.array([p.heading for _, p in passages], pa.string()),
                            "para_number": pa.array(
                                [p.para_number for _, p in passages], pa.string()
                            ),
                            "text": pa.array([p.text for _, p in passages], pa.string()),
                            "language": pa.array([p.language for _, p in passages], pa.string()),
                            "page": pa.array([p.page for _, p in passages], pa.int32()),
                        }
                    ),
                )
                self.con.execute(
                    "insert into passage (id, document_id, seq, heading, para_number, text, "
                    "language, page) select * from passages_in"
                )
                self.con.unregister("passages_in")
            if user:
                now = _utcnow()
                self.con.register(
                    "audit_in",
                    pa.table(
                        {
                            "n": pa.array(range(len(documents)), pa.int32()),
                            "logged_at": pa.array([now] * len(documents), pa.timestamp("us")),
                            "target": [f"document {ids[d.content_hash]}" for d in documents],
                            "detail": [
                                f"{d.source_name} ({d.meta.kind}, meeting {d.meta.meeting}, "
                                f"{d.meta.actor.name}): {len(d.passages)} passages"
                                for d in documents
                            ],
                        }
                    ),
                )
                self.con.execute(
                    "insert into audit_log (logged_at, user_name, action, target, detail) "
                    "select logged_at, ?, 'add_document', target, detail from audit_in "
                    "order by n",
                    [user],
                )
                self.con.unregister("audit_in")
            self._bump_version()
            self._refresh_facts(
                "document_id in (select unnest(?::integer[]))", [sorted(ids.values())]
            )
        return ids

    def _actor_ids(self, actors: Sequence[Actor]) -> dict[str, int]:
        """The id of each actor (by name), registering those not yet known."""
        names = list(dict.fromkeys(a.name for a in actors))
        known = dict(
            self.con.execute(
                "select name, id from actor where list_contains(?, name)", [names]
            ).fetchall()
        )
        for actor in {a.name: a for a in actors}.values():
            if actor.name not in known:
                known[actor.name] = self._actor_id(actor)
        return known

    def _passage_id_start(self, count: int) -> int:
        """The id before the first of ``count`` new passages, which take the next ids. An id
        is never given twice: a deleted passage's id stays in the search index until the
        next thorough update (a process killed in between, or another one ingesting, would
        otherwise index a new passage under an old text), so the highest id ever given is
        kept in ``meta`` (and, for stores older than that, the highest indexed one counts)."""
        start = self.con.execute(
            "select greatest(coalesce(max(id), 0), coalesce((select max(cast(value as bigint)) "
            "from meta where key = 'passage_id_high'), 0)) from passage"
        ).fetchone()[0]
        if self._search_index_exists():
            indexed = self.con.execute("select max(name) from fts_main_passage.docs").fetchone()[0]
            start = max(start, int(indexed or 0))
        self.set_meta("passage_id_high", str(start + count))
        return int(start)

    def delete_document(self, document_id: int, *, user: str) -> str:
        """Delete a document and everything derived from it, in one transaction: its
        passages and their classifications, matched terms and country mentions; the
        recommendations it last stored (with their classifications and comments) and the
        comments it brought. Returns a one-line description; an unknown id is refused."""
        row = self.con.execute(
            "select d.source_name, d.kind, d.meeting, a.name from document d "
            "join actor a on a.id = d.actor_id where d.id = ?",
            [document_id],
        ).fetchone()
        if row is None:
            raise InvalidValueError(f"Document {document_id} does not exist.")
        name, kind, meeting, actor = row
        passages = "select id from passage where document_id = $doc"
        recs = "select id from recommendation where document_id = $doc"
        statements = [
            f"delete from passage_classification where passage_id in ({passages})",  # noqa: S608
            f"delete from passage_mention where passage_id in ({passages})",  # noqa: S608
            "delete from label_correction where source = 'passage' "  # noqa: S608
            f"and source_id in ({passages})",
            f"delete from text_term where source = 'passage' and source_id in ({passages})",  # noqa: S608
            f"delete from recommendation_classification where recommendation_id in ({recs})",  # noqa: S608
            "delete from text_term where source = 'recommendation' "  # noqa: S608
            f"and source_id in ({recs})",
            "delete from recommendation_comment where document_id = $doc "  # noqa: S608
            f"or recommendation_id in ({recs})",
            f"update recommendation set merged_into_id = null where merged_into_id in ({recs})",  # noqa: S608
            "delete from recommendation where document_id = $doc",
            "delete from passage where document_id = $doc",
            "delete from document where id = $doc",
        ]
        with self._transaction():
            counts = self.con.execute(
                f"select (select count(*) from ({passages})), (select count(*) from ({recs}))",  # noqa: S608
                {"doc": document_id},
            ).fetchone()
            for statement in statements:
                self.con.execute(statement, {"doc": document_id})
            detail = (
                f"{name} ({kind}, meeting {meeting}, {actor}): {counts[0]} passages, "
                f"{counts[1]} recommendations"
            )
            self._audit(user, "delete_document", f"document {document_id}", detail)
            self._bump_version()
            self._refresh_facts("document_id = ?", [document_id])
        return detail

    def record_audit(self, user: str, action: str, target: str, detail: str = "") -> None:
        """An audit entry for a write made elsewhere (a label correction, a retraining)."""
        with self._transaction():
            self._audit(user, action, target, detail)

    def _audit(self, user: str, action: str, target: str, detail: str) -> None:
        self.con.execute(
            "insert into audit_log (logged_at, user_name, action, target, detail) "
            "values (?, ?, ?, ?, ?)",
            [_utcnow(), user, action, target, detail],
        )

    def _add_recommendations(self, parsed: ParsedDocument, document_id: int) -> None:
        for rec in parsed.recommendations:
            existing = self.con.execute(
                "select id from recommendation where meeting = ? and number = ?",
                [rec.meeting, rec.number],
            ).fetchone()
            if existing:
                self.con.execute(
                    "update recommendation set topic_id = ?, text = ?, status = ?, "
                    "document_id = ? where id = ?",
                    [rec.topic_id, rec.text, rec.status, document_id, existing[0]],
                )
            else:
                self.con.execute(
                    "insert into recommendation (meeting, topic_id, number, text, status, "
                    "document_id) values (?, ?, ?, ?, ?, ?)",
                    [rec.meeting, rec.topic_id, rec.number, rec.text, rec.status, document_id],
                )
        for rec in parsed.recommendations:
            if rec.merged_into is None:
                continue
            target = self.con.execute(
                "select id from recommendation where meeting = ? and number = ?",
                list(rec.merged_into),
            ).fetchone()
            if target is None:
                raise InputFileError(
                    parsed.source_name,
                    f"recommendation {rec.meeting}.{rec.number} is merged into "
                    f"{rec.merged_into[0]}.{rec.merged_into[1]}, which does not exist.",
                )
            self.con.execute(
                "update recommendation set merged_into_id = ? where meeting = ? and number = ?",
                [target[0], rec.meeting, rec.number],
            )

    def _add_comments(self, parsed: ParsedDocument, document_id: int) -> None:
        for comment in parsed.comments:
            target = self.con.execute(
                "select id from recommendation where meeting = ? and number = ?",
                [comment.meeting, comment.number],
            ).fetchone()
            if target is None:
                raise InputFileError(
                    parsed.source_name,
                    f"the comment refers to recommendation {comment.meeting}.{comment.number}, "
                    "which does not exist.",
                )
            self.con.execute(
                "insert into recommendation_comment (recommendation_id, actor_id, received, "
                "text, document_id) values (?, ?, ?, ?, ?)",
                [
                    target[0],
                    self._actor_id(comment.actor),
                    comment.received,
                    comment.text,
                    document_id,
                ],
            )

    # Consolidation decisions (stock-taking) ---------------------------------------------
    def record_consolidation(
        self,
        *,
        user: str,
        action: str,
        member_ids: Sequence[int],
        together: Sequence[tuple[int, int]] = (),
        apart: Sequence[tuple[int, int]] = (),
        outcomes: Sequence[tuple[int, str, int | None]] = (),
        representative_id: int | None = None,
        removed_id: int | None = None,
        threshold: float | None = None,
        note: str = "",
    ) -> int:
        """One Secretariat decision on a cluster of recommendations (``action``: accept,
        split or merge), in one transaction: the decision with its pair constraints, the new
        status and ``merged_into_id`` of the recommendations it changes (``outcomes``: id,
        status, merged_into_id; their previous values are kept in the decision) and an audit
        entry. Returns the decision id; an unknown recommendation is refused."""
        wanted = sorted(
            {*member_ids, *(i for pair in (*together, *apart) for i in pair)}
            | {o[0] for o in outcomes}
            | {o[2] for o in outcomes if o[2] is not None}
        )
        with self._transaction():
            known = {
                row[0]
                for row in self.con.execute(
                    "select id from recommendation where list_contains(?, id)", [wanted]
                ).fetchall()
            }
            missing = [i for i in wanted if i not in known]
            if missing:
                raise InvalidValueError(
                    f"Recommendation id {missing[0]} does not exist (any more); reload the page."
                )
            for _, status, _ in outcomes:
                if status not in ("preliminary", "adopted", "merged", "withdrawn"):
                    raise InvalidValueError(f"'{status}' is not a recommendation status.")
            previous = [
                {"id": rid, "status": status, "merged_into_id": merged}
                for rid, status, merged in self.con.execute(
                    "select id, status, merged_into_id from recommendation "
                    "where list_contains(?, id) order by id",
                    [[o[0] for o in outcomes]],
                ).fetchall()
            ]
            decision_id = self.con.execute(
                "insert into consolidation_decision (decided_at, user_name, action, member_ids, "
                "representative_id, removed_id, previous, threshold, note) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
                [
                    _utcnow(),
                    user,
                    action,
                    list(member_ids),
                    representative_id,
                    removed_id,
                    json.dumps(previous) if outcomes else None,
                    threshold,
                    note or None,
                ],
            ).fetchone()[0]
            links = [(decision_id, a, b, "together") for a, b in together]
            links += [(decision_id, a, b, "apart") for a, b in apart]
            if links:
                self.con.executemany("insert into consolidation_link values (?, ?, ?, ?)", links)
            for rid, status, merged_into in outcomes:
                self.con.execute(
                    "update recommendation set status = ?, merged_into_id = ? where id = ?",
                    [status, merged_into, rid],
                )
            self._audit(user, f"consolidation_{action}", f"decision {decision_id}", note)
            self._bump_version()
            self._refresh_facts()
        return decision_id

    # Label corrections (review) ---------------------------------------------------------
    def record_correction(
        self,
        passage_id: int,
        *,
        user: str,
        topics: Sequence[str],
        topic: str | None,
        capacity: str,
        note: str = "",
    ) -> int:
        """A reviewer's labels for one passage, in one transaction: the correction (with
        the labels it replaces: the latest correction's, else the current model's) and an
        audit entry. Returns the correction id; an unknown passage is refused."""
        with self._transaction():
            row = self.con.execute(
                "select topic_labels, capacity_label, model_version from v_passage "
                "where passage_id = ?",
                [passage_id],
            ).fetchone()
            if row is None:
                raise InvalidValueError(
                    f"Passage {passage_id} does not exist (any more); reload the page."
                )
            before_topics, before_capacity, version = row
            correction_id = self.con.execute(
                "insert into label_correction (source, source_id, corrected_at, user_name, "
                "model_version, before_topics, before_capacity, after_topics, after_topic, "
                "after_capacity, note) values ('passage', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "returning id",
                [
                    passage_id,
                    _utcnow(),
                    user,
                    version,
                    list(before_topics or []),
                    before_capacity,
                    list(topics),
                    topic,
                    capacity,
                    note or None,
                ],
            ).fetchone()[0]
            changed = set(before_topics or []) != set(topics) or before_capacity != capacity
            self._audit(
                user,
                "relabel" if changed else "confirm_labels",
                f"passage {passage_id}",
                f"topics {', '.join(before_topics or []) or 'none'} -> "
                f"{', '.join(topics) or 'none'}; capacity {before_capacity} -> {capacity}"
                + (f"; {note}" if note else ""),
            )
            self._bump_version()
            self._refresh_facts("passage_id = ?", [passage_id])
        return correction_id

    # NLP output -------------------------------------------------------------------------
    def sync_terms(self, terms: pd.DataFrame) -> None:
        """Replace the term vocabulary (columns id, topic_id, label)."""
        with self._transaction():
            self.con.execute("delete from term")
            self.con.register("terms_in", terms[["id", "topic_id", "label"]])
            self.con.execute("insert into term select id, topic_id, label from terms_in")
            self.con.unregister("terms_in")

    def register_model(self, version: str, *, meta: str, evaluation: str | None) -> None:
        self.con.execute(
            "insert or replace into model_version (version, created_at, meta, evaluation) "
            "values (?, ?, ?, ?)",
            [version, _utcnow(), meta, evaluation],
        )
        self.set_meta("model_version", version)
        self._refresh_facts(bumped=False)  # a new current model: the table is rebuilt

    def store_classifications(
        self,
        source: str,
        version: str,
        scores: pd.DataFrame,
        terms: pd.DataFrame,
        mentions: pd.DataFrame | None = None,
        *,
        refresh: bool = True,
    ) -> None:
        """Store one batch of classifier output for ``source`` ('passage' or
        'recommendation'), replacing earlier rows of the same model version, in one
        transaction. ``scores`` has the columns of ``<source>_classification``."""
        table = {
            "passage": "passage_classification",
            "recommendation": "recommendation_classification",
        }[source]
        key = f"{source}_id"
        with self._transaction():
            self.con.register("scores_in", scores)
            self.con.execute(
                f"delete from {table} where model_version = ? "  # noqa: S608 - fixed names
                f"and {key} in (select {key} from scores_in)",
                [version],
            )
            columns = ", ".join(f'"{c}"' for c in scores.columns)
            self.con.execute(
                f"insert into {table} ({columns}) select {columns} from scores_in"  # noqa: S608
            )
            self.con.execute(
                "delete from text_term where source = ? and model_version = ? "  # noqa: S608
                f"and source_id in (select {key} from scores_in)",
                [source, version],
            )
            if len(terms):
                self.con.register("terms_in", terms)
                self.con.execute(
                    "insert into text_term select ?, source_id, ?, term_id, start_char, "
                    "end_char from terms_in",
                    [source, version],
                )
                self.con.unregister("terms_in")
            if mentions is not None:
                self.con.execute(
                    "delete from passage_mention where model_version = ? "
                    "and passage_id in (select passage_id from scores_in)",
                    [version],
                )
                if len(mentions):
                    self.con.register("mentions_in", mentions)
                    self.con.execute(
                        "insert into passage_mention select passage_id, ?, iso3, start_char, "
                        "end_char from mentions_in",
                        [version],
                    )
                    self.con.unregister("mentions_in")
            self.con.unregister("scores_in")
            self._bump_version()
            if refresh:  # else the caller calls refresh_facts() after its last batch
                self._refresh_facts(*_passage_scope(source, scores))

    # Runs, metadata, search index -------------------------------------------------------
    def start_run(self, source: str) -> int:
        return self.con.execute(
            "insert into ingest_run (started_at, source) values (?, ?) returning id",
            [_utcnow(), source],
        ).fetchone()[0]

    def finish_run(
        self, run_id: int, *, added: int, passages: int, refused: int, skipped: int
    ) -> None:
        self.con.execute(
            "update ingest_run set finished_at = ?, documents_added = ?, passages_added = ?, "
            "refused = ?, skipped = ? where id = ?",
            [_utcnow(), added, passages, refused, skipped, run_id],
        )

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute(
            "insert or replace into meta (key, value) values (?, ?)", [key, str(value)]
        )

    def _bump_version(self) -> None:
        self.con.execute(
            "insert or replace into meta (key, value) select 'data_version', "
            "cast(coalesce(max(cast(value as bigint)), 0) + 1 as varchar) from meta "
            "where key = 'data_version'"
        )

    def rebuild_search_index(self) -> None:
        """(Re)build the BM25 full-text index over all passage text from scratch, in one
        transaction so a crash leaves the previous index whole."""
        with self._transaction():
            self._refresh_facts(bumped=False)  # rebuilt if a write went around the writer
            self._build_search_index()

    def _build_search_index(self) -> None:
        self.con.execute(
            "pragma create_fts_index('passage', 'id', 'text', stemmer = 'porter', "
            "stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1)"
        )
        self._build_search_postings()
        self._build_search_words()

    def update_search_index(self, *, thorough: bool = True) -> str:
        """Bring the BM25 index up to date with the passage table, in one transaction, and
        say how: "built" (there was none), "extended" (new passages added to it), "pruned"
        (deleted passages taken out of it, and none added) or "current". Extending does for
        the new passages alone what the FTS extension's ``create_fts_index`` does for all
        (the same tokens, stems, stop words and statistics), and pruning undoes it for the
        deleted ones, so scores are those of a full rebuild, at a cost that grows with the
        change rather than with the store.

        ``thorough=False`` looks only for passages above the highest indexed id (new
        passages always get higher ids) and not for deletions: cheap enough for each chunk
        of a batch. A thorough update (the end of each ingest run, after a deletion) also
        finds what a killed process left unindexed, and deleted passages."""
        with self._transaction():
            if not self._search_index_exists():
                self._build_search_index()
                return "built"
            postings_current = self._postings_current()
            words_current = self._search_stamp_current("search_words")
            if thorough:
                new_passages = "passage p anti join fts_main_passage.docs d on d.name = p.id"
            else:
                new_passages = (
                    "passage p where p.id > (select coalesce(max(name), -1) "
                    "from fts_main_passage.docs)"
                )
            self.con.execute(
                "create or replace temp table fts_new_docs as "  # noqa: S608 - fixed clauses
                "select (select coalesce(max(docid), -1) from fts_main_passage.docs) "
                "+ row_number() over (order by p.id) as docid, p.id as name, p.text "
                f"from {new_passages}"
            )
            new, passages, indexed = self.con.execute(
                "select (select count(*) from fts_new_docs), (select count(*) from passage), "
                "(select count(*) from fts_main_passage.docs)"
            ).fetchone()
            pruned = thorough and indexed + new > passages  # some indexed passages are gone
            if pruned:
                for statement in _PRUNE_SEARCH_INDEX:
                    self.con.execute(statement)
            if not new:
                self.con.execute("drop table fts_new_docs")
                if pruned:
                    self.con.execute(_SEARCH_STATISTICS)
                    self._stamp_postings(postings_current)
                    self._stamp_words(words_current)
                elif not words_current:  # e.g. after migration 013 on an indexed store
                    self._build_search_words()
                return "pruned" if pruned else "current"
            for statement in _EXTEND_SEARCH_INDEX:
                self.con.execute(statement)
            self.con.execute(_SEARCH_STATISTICS)
            self._stamp_postings(postings_current)
            self._stamp_words(words_current)
            return "extended"

    def _search_index_exists(self) -> bool:
        """Whether the FTS extension's index of passage text has been built."""
        return bool(
            self.con.execute(
                "select count(*) from duckdb_tables() "
                "where schema_name = 'fts_main_passage' and table_name = 'stats'"
            ).fetchone()[0]
        )

    def _postings_current(self) -> bool:
        """Whether ``passage_postings`` matches the search index (stamped with its
        statistics when it was last brought up to date)."""
        return self._search_stamp_current("search_postings")

    def _search_stamp_current(self, key: str) -> bool:
        """Whether the table ``meta`` key ``key`` stamps (passage_postings, search_word) was
        last brought up to date with the search index as it is now."""
        return bool(
            self.con.execute(
                "select coalesce((select value from meta where key = ?) "
                "= (select num_docs || '/' || avgdl from fts_main_passage.stats), false)",
                [key],
            ).fetchone()[0]
        )

    def _stamp_words(self, were_current: bool) -> None:
        """After an update of the index, which updated ``search_word`` alongside: stamp it,
        or rebuild it whole when it was not current before it."""
        if were_current:
            self.con.execute(_STAMP_WORDS)
        else:
            self._build_search_words()

    def _stamp_postings(self, were_current: bool) -> None:
        """After an update of the index, which updated the postings alongside: stamp them,
        or rebuild them whole when they were not current before it."""
        if were_current:
            self.con.execute(_STAMP_POSTINGS)
        else:
            self._build_search_postings()

    # Materialised passage facts (migration 009) ------------------------------------------
    def _refresh_facts(
        self,
        where: str | None = None,
        params: Sequence = (),
        *,
        full: bool = False,
        bumped: bool = True,
    ) -> None:
        """Bring ``passage_fact`` up to date after a write, in the write's transaction:
        re-read from ``v_passage`` the passages ``where`` selects (a predicate over its
        columns, values bound), and stamp the table with the current data and model
        versions. ``bumped``: this write has just bumped the data version (once). The whole
        table is rebuilt when ``full``, or when it was not up to date before this write (the
        model changed, or a write went around these methods)."""
        current, previous, stamp, cube_stamp, term_stamp = self.con.execute(
            "select current_stamp, previous_stamp, facts_stamp, "
            "(select value from meta where key = 'cube_stamp'), "
            "(select value from meta where key = 'term_cube_stamp') from v_fact_state"
        ).fetchone()
        full = full or stamp != (previous if bumped else current)
        cube_full = full or cube_stamp != stamp
        term_full = full or term_stamp != stamp
        match_stamp = self.con.execute(
            "select value from meta where key = 'match_stamp'"
        ).fetchone()
        match_full = full or match_stamp is None or match_stamp[0] != stamp
        # the need and offer passages the write touches, as they were before it
        before = self._matched_passages(where, params) if where and not match_full else None
        actors: set[int] = set()
        if full:
            self.con.execute("delete from passage_fact")
            self.con.execute(
                "insert into passage_fact select * exclude (text) from v_passage "
                "order by passage_id"
            )
        elif where is not None:
            touched = f"select distinct actor_id from passage_fact where {where}"  # noqa: S608
            actors.update(r[0] for r in self.con.execute(touched, list(params)).fetchall())
            self.con.execute(f"delete from passage_fact where {where}", list(params))  # noqa: S608 - fixed predicates
            self.con.execute(
                f"insert into passage_fact select * exclude (text) from v_passage where {where}",  # noqa: S608
                list(params),
            )
            actors.update(r[0] for r in self.con.execute(touched, list(params)).fetchall())
        if cube_full:
            self.con.execute("delete from passage_cube")
            self.con.execute(
                "insert into passage_cube by name " + CUBE_SQL.format(source="passage_fact")
            )
        elif actors:  # the cells of the submitters the write touched, recomputed
            ids = sorted(actors)
            placeholders = ", ".join("?" for _ in ids)
            self.con.execute(f"delete from passage_cube where actor_id in ({placeholders})", ids)  # noqa: S608
            source = f"(select * from passage_fact where actor_id in ({placeholders}))"  # noqa: S608
            self.con.execute(
                "insert into passage_cube by name " + CUBE_SQL.format(source=source),  # noqa: S608
                ids,
            )
        if term_full:  # term_cube (migration 012): the same, per matched term
            self.con.execute("delete from term_cube")
            rows = TERM_CUBE_SQL.format(source="passage_fact")
            self.con.execute(f"insert into term_cube by name {rows} order by term_id")  # noqa: S608
        elif actors:
            ids = sorted(actors)
            placeholders = ", ".join("?" for _ in ids)
            self.con.execute(f"delete from term_cube where actor_id in ({placeholders})", ids)  # noqa: S608
            source = f"(select * from passage_fact where actor_id in ({placeholders}))"  # noqa: S608
            self.con.execute(
                "insert into term_cube by name " + TERM_CUBE_SQL.format(source=source),  # noqa: S608
                ids,
            )
        if match_full:
            self._refresh_matches(None)
        elif before is not None:  # and as they are now: the matches (migration 016) to redo
            after = self._matched_passages(where, params)
            self._refresh_matches(
                sorted(before[1] | after[1]),
                sorted(after[1]),
                offers=sorted(before[0].keys() | after[0].keys()),
                providers=sorted(set(before[0].values()) | set(after[0].values())),
            )
        self.set_meta("facts_stamp", current)
        self.set_meta("cube_stamp", current)
        self.set_meta("term_cube_stamp", current)
        self.set_meta("match_stamp", current)

    def _matched_passages(self, where: str, params: Sequence) -> tuple[dict[int, int], set[int]]:
        """The offer passages ``where`` (over passage_fact) selects, with their submitters,
        and the need passages of States it selects: what the needs-to-offers matching
        reads."""
        rows = self.con.execute(
            "select passage_id, capacity_label = 'provision', actor_id from passage_fact "  # noqa: S608
            f"where ({where}) and kind <> 'recommendation_list' and (capacity_label = "
            f"'provision' or (capacity_label = 'need' and actor_type in {STATE_TYPES_SQL}))",
            list(params),
        ).fetchall()
        offers = {int(i): int(actor) for i, offer, actor in rows if offer}
        return offers, {int(i) for i, offer, _ in rows if not offer}

    def _refresh_matches(
        self,
        gone: list[int] | None,
        needs: Sequence[int] = (),
        *,
        offers: Sequence[int] = (),
        providers: Sequence[int] = (),
    ) -> None:
        """Recompute match_need, match_offer and match_link (migration 016) from
        passage_fact: whole (``gone`` None), or after a write that touched the need
        passages ``gone`` (their rows deleted; those of ``needs`` inserted again) and the
        offer passages ``offers`` of the submitters ``providers``. A need's 10 best depend
        only on itself and on the offers: those of the touched needs are recomputed, and
        those of the needs the touched submitters' offers enter or leave
        (affected_needs_sql); every need's when that is most of them."""
        scope = "{}.passage_id in (select unnest(?::bigint[]))"
        total = self.con.execute("select count(*) from match_need").fetchone()[0]
        if gone is None or len(providers) > self.MATCH_WHOLE_PROVIDERS * self._provider_count():
            for table in ("match_link", "match_need", "match_offer"):
                self.con.execute(f"delete from {table}")  # noqa: S608 - fixed names
            self.con.execute(
                "insert into match_need by name "
                + MATCH_NEED_SQL.format(source="passage_fact", scope="true")
            )
            self.con.execute(
                "insert into match_offer by name "
                + MATCH_OFFER_SQL.format(source="passage_fact", scope="true")
            )
            self._redo_links(None)
            return
        if not gone and not offers:
            return
        self.con.execute("delete from match_link where need_id in (select unnest(?))", [gone])
        self.con.execute("delete from match_need where passage_id in (select unnest(?))", [gone])
        self.con.execute(
            "insert into match_need by name "
            + MATCH_NEED_SQL.format(source="passage_fact", scope=scope.format("p")),
            [list(needs)],
        )
        redo = set(needs)
        if offers:
            self.con.execute(
                "delete from match_offer where offer_id in (select unnest(?))", [list(offers)]
            )
            self.con.execute(
                "insert into match_offer by name "
                + MATCH_OFFER_SQL.format(source="passage_fact", scope=scope.format("p")),
                [list(offers)],
            )
            ids = list(providers)
            rows = self.con.execute(
                affected_needs_sql(), [ids, STORED_PER_NEED, STORED_PER_NEED, ids, STORED_PER_NEED]
            ).fetchall()
            redo.update(int(r[0]) for r in rows)
            if len(redo) > self.MATCH_WHOLE_NEEDS * total:  # most needs: ranked whole
                self._redo_links(None)
                return
        self._redo_links(sorted(redo))

    def _redo_links(self, needs: list[int] | None) -> None:
        """match_link and match_need.matched recomputed for the needs ``needs`` (all when
        None) from match_need and match_offer."""
        if needs is None:
            self.con.execute("delete from match_link")
            self.con.execute(fill_links_sql(), [STORED_PER_NEED] * 2)
            self.con.execute(MARK_MATCHED_SQL.format(scope="true"))
            return
        scope = "{}.passage_id in (select unnest(?::bigint[]))"
        self.con.execute("delete from match_link where need_id in (select unnest(?))", [needs])
        self.con.execute(fill_links_sql(scope.format("n")), [needs, *[STORED_PER_NEED] * 2])
        self.con.execute(MARK_MATCHED_SQL.format(scope=scope.format("match_need")), [needs])

    def _provider_count(self) -> int:
        """The submitters with an offer (match_offer)."""
        return self.con.execute("select count(distinct provider_id) from match_offer").fetchone()[0]

    def refresh_facts(self) -> None:
        """Rebuild ``passage_fact``, ``passage_cube``, ``term_cube`` and the matches whole
        (after migrations 009, 011, 012 and 016 on an existing database, or for maintenance;
        normally never needed)."""
        with self._transaction():
            self._refresh_facts(full=True)

    def build_search_postings(self) -> None:
        """Rebuild ``passage_postings`` from the current full-text index (migration 010)."""
        with self._transaction():
            self._build_search_postings()

    def _build_search_postings(self) -> None:
        self.con.execute("delete from passage_postings")
        self.con.execute(
            """
            insert into passage_postings (termid, passage_id, len, tf)
            select t.termid, d.name as passage_id, any_value(d.len) as len, count(*) as tf
            from fts_main_passage.terms t
            join fts_main_passage.docs d on d.docid = t.docid
            group by t.termid, d.name
            order by t.termid, d.name
            """
        )
        self.con.execute(_STAMP_POSTINGS)

    def _build_search_words(self) -> None:
        """Fill ``search_word`` (migration 013) from the text of the indexed passages."""
        self.con.execute("delete from search_word")
        self.con.execute(_BUILD_SEARCH_WORDS)
        self.con.execute(_STAMP_WORDS)

    def _regions_fingerprint(self) -> str:
        """The country-to-region mapping (the reference data passage_fact copies)."""
        return self.con.execute(
            "select coalesce(md5(string_agg(concat_ws('|', iso3, name, regional_group, "
            "m49_region, m49_subregion), ';' order by iso3)), '') from country"
        ).fetchone()[0]


# The index's statistics, as the FTS extension's indexing script computes them.
_SEARCH_STATISTICS = """delete from fts_main_passage.stats;
    insert into fts_main_passage.stats
    select count(docs.docid) as num_docs, sum(docs.len) / count(docs.len) as avgdl
    from fts_main_passage.docs as docs"""
# Indexed passages that are gone from the passage table, taken out of the index: their
# documents, their terms, and their share of each term's document frequency (a term left in
# no document leaves the dictionary, as a full build would not have it).
_PRUNE_SEARCH_INDEX = (
    """create or replace temp table fts_gone as
    select d.docid from fts_main_passage.docs d anti join passage p on p.id = d.name""",
    """update fts_main_passage.dict x set df = x.df - g.df
    from (
        select termid, count(distinct docid) as df from fts_main_passage.terms
        where docid in (select docid from fts_gone) group by termid
    ) g
    where x.termid = g.termid""",
    "delete from fts_main_passage.dict where df = 0",
    # the words of the terms gone with them (search_word, migration 013)
    """delete from search_word w
    where not exists (select 1 from fts_main_passage.dict d where d.termid = w.termid)""",
    """delete from passage_postings where passage_id in (
        select name from fts_main_passage.docs where docid in (select docid from fts_gone))""",
    "delete from fts_main_passage.terms where docid in (select docid from fts_gone)",
    "delete from fts_main_passage.docs where docid in (select docid from fts_gone)",
    "drop table fts_gone",
)
# The steps of the FTS extension's indexing script (create_fts_index) for the new passages
# (in fts_new_docs); the statistics (df, num_docs, avgdl) are updated for the whole index.
_EXTEND_SEARCH_INDEX = (
    """create or replace temp table fts_new_terms as
    select stem(t.w, 'porter') as term, t.docid, t.w as word
    from (select unnest(fts_main_passage.tokenize(text)) as w, docid from fts_new_docs) t
    where t.w not null and len(t.w) > 0
        and t.w not in (select sw from fts_main_passage.stopwords)""",
    """insert into fts_main_passage.dict (termid, term, df)
    select (select coalesce(max(termid), -1) from fts_main_passage.dict)
        + row_number() over (order by n.term), n.term, 0
    from (select distinct term from fts_new_terms) n
    anti join fts_main_passage.dict d on d.term = n.term""",
    """update fts_main_passage.dict d set df = d.df + n.df
    from (select term, count(distinct docid) as df from fts_new_terms group by term) n
    where d.term = n.term""",
    """insert into fts_main_passage.terms (docid, fieldid, termid)
    select t.docid, 0, d.termid
    from fts_new_terms t join fts_main_passage.dict d on d.term = t.term""",
    """insert into fts_main_passage.docs (docid, name, len)
    select n.docid, n.name, count(t.term)
    from fts_new_docs n left join fts_new_terms t on t.docid = n.docid
    group by n.docid, n.name""",
    # the postings of the new passages (passage_postings, migration 010)
    """insert into passage_postings (termid, passage_id, len, tf)
    select d.termid, n.name, any_value(x.len), count(*)
    from fts_new_terms t
    join fts_main_passage.dict d on d.term = t.term
    join fts_new_docs n on n.docid = t.docid
    join fts_main_passage.docs x on x.docid = t.docid
    group by d.termid, n.name""",
    # the words not seen before (search_word, migration 013)
    """insert into search_word (word, termid)
    select n.word, d.termid
    from (select distinct word, term from fts_new_terms) n
    join fts_main_passage.dict d on d.term = n.term
    anti join search_word w on w.word = n.word""",
    "drop table fts_new_docs",
    "drop table fts_new_terms",
)
# passage_postings stamped as matching the index (analytics/explorer.py checks the stamp)
_STAMP_POSTINGS = """insert or replace into meta (key, value)
    select 'search_postings', num_docs || '/' || avgdl from fts_main_passage.stats"""


# search_word (migration 013) from the indexed passages: each token the index kept (as the
# FTS extension's indexing script tokenizes, without stop words) and its stem's term
_BUILD_SEARCH_WORDS = """insert into search_word (word, termid)
    select w.word, d.termid
    from (
        select distinct unnest(fts_main_passage.tokenize(p.text)) as word
        from passage p semi join fts_main_passage.docs x on x.name = p.id
    ) w
    join fts_main_passage.dict d on d.term = stem(w.word, 'porter')
    where len(w.word) > 0 and w.word not in (select sw from fts_main_passage.stopwords)
    order by w.word"""
_STAMP_WORDS = """insert or replace into meta (key, value)
    select 'search_words', num_docs || '/' || avgdl from fts_main_passage.stats"""


def _passage_scope(source: str, scores: pd.DataFrame) -> tuple[str | None, list]:
    """The passages a batch of classifications touches, as a predicate for the refresh."""
    if source != "passage":
        return None, []
    return "passage_id in (select unnest(?::bigint[]))", [
        scores["passage_id"].astype("int64").tolist()
    ]


class _Transaction:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("begin transaction")

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.con.execute("commit")
        else:
            self.con.execute("rollback")


def _utcnow() -> dt.datetime:
    """Timestamps are stored in UTC, without a zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
