"""File formats: a task as a document and back. Only the domain below; no database needed."""
