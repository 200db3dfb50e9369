"""Retrieval evals: labelled guidance and note queries, recall@5 of each ranking."""
