"""Stage 1, files: which files a run reads (discover, memo), what they are (classify, kinds),
whether they are worth parsing (prefilter), and their text with positions (source)."""
