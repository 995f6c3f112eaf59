"""rdflib-endpoint over a TriG dump, for bench/protocol_compare.py: `uvicorn` imports `app` from here.

The dump path comes from $COMPARE_TRIG; updates are enabled (rdflib-endpoint has no token: it is the
only way its update cases can run at all).
"""

import os

from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint

dataset = Dataset(default_union=True)
dataset.parse(os.environ["COMPARE_TRIG"], format="trig")
app = SparqlEndpoint(graph=dataset, path="/sparql", enable_update=True, public_url="http://127.0.0.1/")
