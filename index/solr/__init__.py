"""The SolrCloud engine: an archive kept in a Solr collection (behind an alias), for archives that outgrow one
machine. ``location.py`` (``solr://HOST:PORT/solr/NAME``), ``client.py`` (plain HTTP JSON), ``collections.py``
(configset, collections, the alias a build moves), ``documents.py`` (items, passages, bulletins and the build as
Solr documents), ``build.py``, ``query.py`` (filters and keyword plans in Solr's syntax), ``engine.py``
(``SolrEngine``). The configset is ``configset/``."""
