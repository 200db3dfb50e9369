"""Notes, one vertical: everything about a meeting note from the words a rep types to the search index.

- ``schema``: what a note is read into (``NoteExtraction``), and ``validate``: what the note does not support
  is dropped; ``extract``: the offline extractor (a model-backed one is injected from ``agent.extraction``).
- ``log``: the tools ``log_note`` (propose) and ``confirm_note`` / ``undo_note`` / ``cancel_note``;
  ``replies``: the same three when the user types them in the conversation.
- ``store``: the write of a confirmed note (interaction, people, commitments, changes) and its undo;
  ``results``: what those tools return, rendering themselves.
- ``search``: the ``search_notes`` tool and the note evidence plans and QBRs quote.
- ``index_hook``: after the commit, the notes stored or removed reach the index (``knowledge.outbox``).

See docs/architecture.md.
"""
