"""One module per document kind: model -> template context -> renderers.

Each module that takes part in ``publisher build`` offers
``build_project(project, out, prefix, formats, mask, echo) -> list[str]``
returning the output paths (relative to ``out``) it wrote.
"""
