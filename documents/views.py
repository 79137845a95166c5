"""The pages of context documents, and what petition pages, searches and topics show of them."""

from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Coalesce, Concat
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.generic import ListView

from documents.citations import cite
from documents.forms import DocumentListForm
from documents.models import (
    HEAVY,
    Document,
    Paragraph,
    Suggestion,
    related_documents,
)
from documents.serialize import document_json as to_json
from petitions import search
from petitions.withdrawal import gone, gone_json

__all__ = ["document_matches", "related_documents", "topic_documents"]

SUGGESTIONS_SHOWN = 10
SEARCH_GROUP_SIZE = 5


def found(slug: str) -> Document:
    document = Document.objects.for_detail().filter(slug=slug).first()
    if document is None:
        raise Http404("No document at this address is in the archive.")
    return document


def document_detail(request, slug: str):
    document = found(slug)
    if document.withdrawn_at:
        return gone(request, document, f"“{document.title}”")
    suggestions = Suggestion.objects.for_document(document)[:SUGGESTIONS_SHOWN]
    context = {"document": document, "suggestions": suggestions}
    context["citations"] = cite(document, request)
    return render(request, "documents/document_detail.html", context)


def document_json(request, slug: str):
    """The document's JSON twin; 410 JSON when withdrawn (a missing one: the JSON 404)."""
    document = found(slug)
    if document.withdrawn_at:
        return gone_json(document, slug=document.slug)
    suggestions = Suggestion.objects.for_document(document)[:SUGGESTIONS_SHOWN]
    base_url = request.build_absolute_uri("/").rstrip("/")
    data = to_json(document, suggestions, base_url)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


class DocumentListView(ListView):
    """Every document, newest first; with `q`, the matching ones, best first."""

    template_name = "documents/document_list.html"
    context_object_name = "documents"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        self.form = DocumentListForm(request.GET)
        if not self.form.is_valid():
            errors = self.form.errors_text()
            return render(request, "400.html", {"errors": errors}, status=400)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        q, kind = self.form.cleaned_data["q"], self.form.cleaned_data["kind"]
        documents = Document.objects.public().defer(*HEAVY).newest_first()
        if kind:
            documents = documents.filter(kind=kind)
        return with_snippets(documents, q) if q else documents

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            raise Http404("There is no such page of documents in the archive.") from None

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)


def with_snippets(documents, q: str):
    """The documents matching `q`, best first, each with a `snippet` of its text."""
    body = search.ordered_text(Paragraph, "document", " ")
    body = Coalesce(body, Value(""), output_field=TextField())
    text = Concat("summary", Value(" … "), body, output_field=TextField())
    config = Case(
        *(When(language=lang, then=Value(config)) for lang, config in search.CONFIGS.items()),
        default=Value(search.CONFIG),
    )
    highlighted = search.headline(text, search.highlight_query(q), config)
    return documents.search(q).annotate(headline=highlighted)


def document_matches(q: str) -> list[Document]:
    """The search results' group of documents: the best few, and one more to tell if there are
    more. One query; none without a search."""
    if not q:
        return []
    documents = Document.objects.public().defer(*HEAVY)
    return list(with_snippets(documents, q)[: SEARCH_GROUP_SIZE + 1])


def topic_documents(topic) -> list[Document]:
    return list(Document.objects.public().for_topic(topic).defer(*HEAVY)[:20])
