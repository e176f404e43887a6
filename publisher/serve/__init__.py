"""`publisher serve`: a local web page for the office, over the same engine as the command line.

The page adds no logic of its own.  Each upload becomes a job: a private folder
holding a copy of the office's project folder plus the uploads, run in its own
process through ``publisher.pipeline`` (``check``, ``run``, ``build``) exactly as
the command line runs it, and packed into one ZIP with ``manifest.json``.

Modules: ``settings`` (what the IT person chose, refused at start when unsafe),
``office`` (the project folder copied into each job), ``uploads`` (names and
fields of a request), ``jobs`` (the bounded pool, states, clean-up), ``work``
(what runs inside a job's process), ``guard`` (token, size limit, host,
headers), ``app`` (the routes), ``server`` (uvicorn on a bound socket).
"""
