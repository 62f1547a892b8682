"""``ieg bench``: performance at scale. A generated corpus is ingested and classified into a
temporary database; ingest and classification throughput, the latency of every analytics
query the pages use, each page's server-side render time, peak memory and the database size
are measured, beside a pandas baseline that must give the same answers."""
