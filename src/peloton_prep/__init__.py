"""Build the peloton-prep site, Anki deck and study guide from one source."""
