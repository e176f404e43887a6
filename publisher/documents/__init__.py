"""Document kinds: each module declares one ``publisher.kinds.Kind`` (what it reads, which
formats it makes, how it plans its documents, one writer per format) and registers it.
``publisher.pipeline`` runs them all the same way."""
