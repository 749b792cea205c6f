"""Stage 3, facts: the language-neutral model (``model``), the extractors per input
(``python/``, ``javascript/``, ``natsconf/``, ``yaml/``) and the library knowledge tables
(``knowledge/``) they translate with."""
