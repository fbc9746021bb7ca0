"""The full-text index: one FTS5 row per live top-level record (rowid = record.num).

unicode61 folds case for every script, Kazakh letters included (Қ/қ, Ә/ә, Ү/ү …);
remove_diacritics also lets `е` find `ё`. The prefix indexes keep search-as-you-type fast."""

FTS_TABLE = "search_index"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
DROP_FTS = f"DROP TABLE IF EXISTS {FTS_TABLE}"
