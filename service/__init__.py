"""The service: how a front end opens an archive and keeps it current.

``opening`` (first-run build, the shared model, opening ahead), ``live`` (the serving build, reopened when a new
one lands), ``building`` (builds, uploads, watching), ``secrets`` (hashed keys and passwords), ``paths`` (default
locations). Front ends (``cli``, ``api``, ``ui``) use these and the search interface (:mod:`index.interface`),
nothing else of the engine.
"""
