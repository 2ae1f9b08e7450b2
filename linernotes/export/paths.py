"""Names the build and the ``linernotes`` script share (no Django here: the script reads this
before settings are loaded)."""

# Where ``build --content DIR`` keeps its working database and media, inside DIR.
CONTENT_CACHE = ".linernotes"
