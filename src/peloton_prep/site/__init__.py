"""The website: the MkDocs plugin (`peloton-prep` entry point) and what it adds to pages."""
