"""Junk requests for every public URL pattern, in both languages, as a Hypothesis strategy.

`tests/test_fuzz.py` sends them through Django's test client; the `fuzz_http` command sends them
to a running server. Values are percent-encoded as a client would send them: real slugs and
numbers, edge values (the calendar's ends, huge numbers, NUL bytes, formulas, markup), random
text, random bytes (invalid UTF-8 included), unknown and repeated parameters, odd methods, small
bodies and bodies over the public limit, and now and then a junk `Host`.
"""

import string
from dataclasses import dataclass, field
from urllib.parse import quote, quote_from_bytes

from hypothesis import strategies as st

# Every public URL pattern by name, `{}` where the path takes a value; each is also under /fr/
# but for the untranslated ones. tests/test_fuzz.py checks that no public pattern is missing.
PATTERNS = {
    "petitions:home": "/",
    "petitions:list": "/petitions/",
    "petitions:detail": "/petitions/{}/",
    "petitions:detail-json": "/petitions/{}.json",
    "petitions:topic": "/topics/{}/",
    "petitions:minister": "/ministers/{}/",
    "petitions:member": "/members/{}/",
    "petitions:topics": "/topics/",
    "petitions:topics-json": "/topics.json",
    "petitions:ministers": "/ministers/",
    "petitions:ministers-json": "/ministers.json",
    "petitions:members": "/members/",
    "petitions:members-json": "/members.json",
    "petitions:list-csv": "/petitions.csv",
    "petitions:list-json": "/petitions.json",
    "petitions:download": "/downloads/{}",
    "petitions:feed-petitions": "/feeds/petitions/",
    "petitions:feed-responses": "/feeds/responses/",
    "petitions:about-data": "/about/data/",
    "stats:index": "/stats/",
    "stats:csv": "/stats/{}.csv",
    "documents:list": "/documents/",
    "documents:detail": "/documents/{}/",
    "documents:detail-json": "/documents/{}.json",
    "sitemap-index": "/sitemap.xml",
    "sitemap-section": "/sitemap-{}.xml",
    "robots": "/robots.txt",
}
UNTRANSLATED = {"sitemap-index", "sitemap-section", "robots"}
PARAMETERS = [
    "q", "topic", "minister", "signed_by", "sponsor", "caucus", "parliament", "status", "kind",
    "province", "opened_from", "opened_to", "presented_from", "presented_to", "responded_from",
    "responded_to", "sort", "page", "per_page", "p",
]  # fmt: skip
# Values of the seeds and samples, so that some requests reach real records.
KNOWN = [
    "e-2835", "E-2835", "432-00309", "431-00205", "e-4172", "e-701", "foreign-affairs",
    "public-safety", "minister-of-foreign-affairs", "garnett-genuis", "petitions",
    "petitions-per-year", "response-times", "portfolios", "overdue", "pages", "topics",
    "foreign-interference-2020-11-24", "responded", "presented", "open", "e-petition", "paper",
    "ON", "qc", "43", "43-2", "newest", "relevance", "signatures", "news-article",
]  # fmt: skip
EDGES = [
    "", " ", "0", "-1", "1", "2", "last", "1e9", "99999999999999999999", "9" * 400,
    "9999-12-31", "0001-01-01", "1867-06-30", "1867-07-01", "2024-02-30", "2020-13-01",
    "\x00", "a\x00b", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "' OR 1=1 --",
    '"unclosed', "-", "or", "!!!", "e-99999999999", "a" * 4000, "é" * 300, "\u202e", "💥",
]  # fmt: skip
JUNK_HOST = string.ascii_letters + string.digits + ".-:_[]"


@dataclass(frozen=True)
class JunkRequest:
    method: str
    target: str  # path and query string, percent-encoded
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


texts = st.one_of(
    st.sampled_from(KNOWN + EDGES),
    st.text(max_size=60),
    st.text(alphabet=string.printable, max_size=20),
)
encoded = st.one_of(
    texts.map(lambda v: quote(v, safe="")),
    st.binary(max_size=40).map(lambda b: quote_from_bytes(b, safe="")),
)


@st.composite
def junk_requests(draw, max_body: int = 64 * 1024) -> JunkRequest:
    name = draw(st.sampled_from(sorted(PATTERNS)))
    path = PATTERNS[name]
    if "{}" in path:
        path = path.format(draw(encoded))
    if name not in UNTRANSLATED and draw(st.booleans()):
        path = "/fr" + path
    names = st.one_of(st.sampled_from(PARAMETERS), encoded)
    pairs = draw(st.lists(st.tuples(names, encoded), max_size=6))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    if draw(st.integers(0, 9)) == 0:  # a query string of raw bytes, not key=value
        query = draw(encoded)
    method = draw(st.sampled_from(["GET"] * 6 + ["HEAD", "OPTIONS", "POST", "PUT", "DELETE"]))
    body = b""
    if method in ("POST", "PUT"):
        body = draw(st.one_of(st.binary(max_size=200), st.just(b"x" * (max_body + 1))))
    headers = {}
    if draw(st.integers(0, 19)) == 0:
        headers["Host"] = draw(st.text(alphabet=JUNK_HOST, min_size=1, max_size=4000))
    return JunkRequest(method, path + (f"?{query}" if query else ""), body, headers)
