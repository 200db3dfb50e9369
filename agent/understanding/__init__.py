"""Understanding a message before choosing a tool: what kind of message it is (``message_kind``), learned from a
generated corpus (``corpus``, ``vocabulary``) over structural features that hold across wording (``features``)."""
