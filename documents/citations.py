"""Ready citations of a context document's permanent page: APA, Chicago and BibTeX.

The author is the news outlet of an article or the department of a briefing note (the title
comes first when the page names neither); the date is the document's own; the title is its
headline; what it is ("News article", "Briefing note") follows the title.
"""

from petitions import citing
from petitions.citing import Citations


def cite(document, request) -> Citations:
    work = citing.Work(
        author=document.publisher,
        title=document.title,
        day=document.published_on,
        about=str(document.get_kind_display()),
        key="document-" + document.slug,
    )
    url = request.build_absolute_uri(document.get_absolute_url())
    return citing.cite(work, url, document.summary)
