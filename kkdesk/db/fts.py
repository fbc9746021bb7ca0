"""The full-text index: one FTS5 row per live top-level record (rowid = record.num).

unicode61 folds case for every script, Kazakh letters included (Қ/қ, Ә/ә, Ү/ү …);
its remove_diacritics folds Latin letters only, so what the index holds is prepared
by kkdesk.searchtext (composed Unicode, ё as е, Kazakh words of titles also in Russian
letters). The prefix indexes keep search-as-you-type fast."""

FTS_TABLE = "search_index"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
DROP_FTS = f"DROP TABLE IF EXISTS {FTS_TABLE}"
