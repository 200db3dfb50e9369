"""The guidance corpus (markdown). A package only so that its ``*.md`` files ship with the wheel."""
