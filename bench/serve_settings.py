"""Settings for the load benchmarks: the site's own, plus a hello-world view to compare with.

The hello view runs in the same gunicorn workers behind the same middleware as the site, so
the ratio of a page's throughput to hello's is what the page itself costs.
"""

from linernotes.config.settings import *  # noqa: F403 (every setting, unchanged)

ROOT_URLCONF = "bench.serve_urls"
