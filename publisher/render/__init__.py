"""Renderers: one module per format (docx, xlsx, pdf, html) plus the shared font roles."""
