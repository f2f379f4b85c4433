"""Korean search: analysis (Kiwi), the lexicon, query repairs, BM25F ranking, suggestions.

Pure: the index lives in the database (`alrim.store.search_repo`), the use case in
`alrim.services.search`. See docs/search.md.
"""
