"""The admin's "Import petitions" page: upload pages or paste one, preview, confirm.

The same importer as `manage.py import_petitions` (petition pages, and the context documents
it recognises: news articles and briefing notes): a dry run for the preview, the real run on
confirm, each file all-or-nothing. What is written is exactly what was previewed: the previewed
bytes come back signed (with their SHA-256) rather than uploaded again, and a page whose
petition changed in the archive since the preview is reported, not written. A page that would
remove part of a stored petition (importer/removals.py) shows what it would remove apart, and is
written only when staff tick "Allow removals" for that page.
"""

import base64
import hashlib
import json
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from importer import import_preview

# The one importer this page runs (dry run and real run), by this one name.
from importer.pages import PETITION, import_any as import_input
from importer.petitions.data import MalformedPage, NotAPetitionPage, PageError, UnreadableInput
from importer.petitions.write import CREATED, LANGUAGE_NAMES, UNCHANGED, UPDATED

FAILED = "failed"
SALT = "petitions.admin_import"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview can be confirmed for
TEMPLATE = "admin/petitions/petition/import.html"
STATUS_LABELS = {CREATED: "New", UPDATED: "Changed", UNCHANGED: "Unchanged", FAILED: "Error"}


def max_files() -> int:
    return settings.ARCHIVE_IMPORT_MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PageFilesField(forms.FileField):
    """Any number of files, each judged on its own later: one bad file spoils no other."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


PETITIONS, DOCUMENTS = "petitions", "documents"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you importing?",
        choices=[
            (PETITIONS, "Petition pages"),
            (DOCUMENTS, "Context documents (news articles, briefing notes)"),
        ],
        initial=PETITIONS,
        required=False,  # petition pages, unless documents are chosen
        widget=forms.RadioSelect,
        help_text="A page of the other kind is refused, so that nothing is imported by mistake.",
    )
    files = PageFilesField(
        required=False,
        label="Pages to upload",
        help_text="Pages saved as text or HTML.",
    )
    text = forms.CharField(
        required=False,
        strip=False,
        label="Or paste a page's text",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
    )
    source = forms.CharField(
        required=False,
        max_length=1000,
        label="Source URL",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": "Enter the page's web address, starting with https://."},
        help_text="Where the page came from, kept with the record as its source. Optional. It "
        "is the source of the pasted text, or else of the one uploaded file; uploaded files "
        "beside pasted text keep their file names.",
    )

    def clean(self):
        files, text = self.cleaned_data.get("files") or [], self.cleaned_data.get("text") or ""
        if not files and not text.strip():
            raise ValidationError(
                "The pasted text is empty: paste a petition page's text or choose files."
                if text
                else "Choose one or more petition pages to upload, or paste a page's text."
            )
        if self.cleaned_data.get("source") and len(files) > 1 and not text.strip():
            raise ValidationError(
                f"A source URL says where one page came from, and you chose {len(files)} files: "
                "upload that page alone, or leave the URL empty (each file is then kept under "
                "its file name)."
            )
        count = len(files) + bool(text.strip())
        if count > max_files():
            raise ValidationError(
                f"An import takes at most {max_files()} pages at a time and this one has "
                f"{count}; import them in smaller batches."
            )
        return self.cleaned_data


@dataclass
class Item:
    """One input of the batch: what it is, what the importer makes of it."""

    name: str
    source: str
    status: str = FAILED
    number: str = ""
    kind: str = PETITION  # or the kind of context document: "news article", "briefing note"
    message: str = ""
    expect: str = ""  # the previewed outcome's fingerprint
    sha256: str = ""
    raw: str = ""  # the bytes, compressed and base64-encoded, for items to write
    removals: list = field(default_factory=list)  # what writing it would remove, in words
    rows: list = field(default_factory=list)
    language: str = ""  # a petition page's language: its texts are what `rows` compares

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, "")

    @property
    def language_label(self) -> str:
        """ "English page" or "French page" (a petition page's), else ""."""
        return f"{self.language_name} page" if self.language else ""

    @property
    def label(self) -> str:
        """ "New petition", "Changed briefing note", "Unchanged", "Error"."""
        if self.status in (CREATED, UPDATED):
            return f"{STATUS_LABELS[self.status]} {self.kind}"
        return STATUS_LABELS[self.status]

    @property
    def record(self) -> str:
        """How staff name the record: "petition e-2835", "news article <slug>"."""
        return f"{self.kind} {self.number}"

    @property
    def url(self) -> str:
        """The public page of what was imported, when it has one."""
        if self.status == FAILED or not self.number:
            return ""
        view = "petitions:detail" if self.kind == PETITION else "documents:detail"
        try:
            return reverse(view, args=[self.number])
        except NoReverseMatch:
            return ""

    def carried(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "rows"}


def run_importer(raw: bytes, source: str, user, dry_run: bool, allow_removals: bool = False):
    """The one place this page calls the importer."""
    return import_input(
        raw,
        source,
        f"admin:{user.get_username()}",
        dry_run=dry_run,
        allow_removals=allow_removals,
    )


def explain(error: Exception) -> str:
    """An importer's or the database's refusal, as a sentence for staff."""
    if isinstance(error, UnreadableInput):
        return f"Not readable as text: {error}."
    if isinstance(error, NotAPetitionPage):
        return f"Not a page the archive imports: {error}."
    if isinstance(error, MalformedPage):
        return f"A petition page the archive cannot import: {error}."
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"The archive could not store this page ({first_line}); nothing was written."


def fingerprint(outcome) -> str:
    data = json.dumps(
        [outcome.number, outcome.action, outcome.changes, outcome.removals],
        default=str,
        sort_keys=True,
    )
    return hashlib.sha256(data.encode()).hexdigest()


def read_inputs(form: ImportForm) -> list[tuple[Item, bytes | None]]:
    """Each upload and the pasted text, with its bytes, or refused for its size."""
    limit = settings.ARCHIVE_IMPORT_MAX_BYTES
    files, text, url = (form.cleaned_data[k] for k in ("files", "text", "source"))
    file_url = url if len(files) == 1 and not text.strip() else ""  # see ImportForm.source
    inputs = [(Item(f.name, file_url or f.name), f) for f in files]
    if text.strip():
        inputs.append((Item("Pasted text", url or "pasted text"), text.encode("utf-8")))
    result = []
    for item, content in inputs:
        size = len(content) if isinstance(content, bytes) else content.size
        if size > limit:
            item.message = (
                f"Too large: {filesizeformat(size)}, and the import takes pages of up to "
                f"{filesizeformat(limit)}; nothing was read."
            )
            result.append((item, None))
        else:
            result.append((item, content if isinstance(content, bytes) else content.read()))
    return result


def preview_item(
    item: Item, raw: bytes, user, can_change: bool, seen: dict, wanted: str = PETITIONS
) -> Item:
    try:  # what it would remove is shown apart, and written only when staff allow it
        outcome = run_importer(raw, item.source, user, dry_run=True, allow_removals=True)
    except (PageError, DatabaseError) as error:
        item.message = explain(error)
        return item
    if (outcome.kind == PETITION) != (wanted == PETITIONS):
        item.message = (
            f"This is a {outcome.kind}, not a petition page: to keep it as a context document, "
            'choose "Context documents" above.'
            if wanted == PETITIONS
            else 'This is a petition page, not a context document: choose "Petition pages" '
            "above to import it."
        )
        return item
    item.number, item.kind = outcome.number, outcome.kind
    item.language = outcome.language if outcome.kind == PETITION else ""
    if item.record in seen:
        item.message = (
            f"This batch already has {item.record} (from {seen[item.record]}); "
            "import one version of a page at a time."
        )
        return item
    seen[item.record] = item.name
    if outcome.action == UPDATED and not can_change:
        item.message = f"The {item.record} exists and you may not change it."
        return item
    item.status, item.expect = outcome.action, fingerprint(outcome)
    item.removals = outcome.removals
    if outcome.action != UNCHANGED:
        item.rows = import_preview.rows(outcome.changes)
        item.sha256 = hashlib.sha256(raw).hexdigest()
        item.raw = base64.b64encode(zlib.compress(raw)).decode("ascii")
    return item


def confirm_item(item: Item, user, can_change: bool, allow_removals: bool = False) -> Item:
    """Write one previewed page, unless its petition changed in the archive meanwhile.

    Removals are written only when they were previewed and staff allowed them for this page.
    """
    if item.status not in (CREATED, UPDATED):
        return item
    if item.removals and not allow_removals:
        return fail(
            item,
            "Not written: this page would remove part of the archive's record (below), and "
            f"removals were not allowed for it. Preview it again and tick “Allow removals for "
            f"{item.number}” to import it anyway.",
        )
    raw = zlib.decompress(base64.b64decode(item.raw))
    if hashlib.sha256(raw).hexdigest() != item.sha256:
        return fail(item, "The page differs from the one previewed; nothing was written.")
    allowed = bool(item.removals)  # only what the preview showed; the writer refuses the rest
    try:
        with transaction.atomic():  # the dry run's lock on the petition holds to the end
            now = run_importer(raw, item.source, user, dry_run=True, allow_removals=True)
            if fingerprint(now) != item.expect:
                return stale(item, now)
            if now.action == UPDATED and not can_change:
                return fail(item, f"You may not change the {item.record}, which exists.")
            written = run_importer(raw, item.source, user, dry_run=False, allow_removals=allowed)
            item.status = written.action
    except (PageError, DatabaseError) as error:
        return fail(item, explain(error))
    return item


def fail(item: Item, message: str) -> Item:
    item.status, item.message = FAILED, message
    return item


def stale(item: Item, now) -> Item:
    if now.action == UNCHANGED:
        item.status = UNCHANGED
        item.message = "Imported by someone else since your preview; nothing left to write."
        return item
    return fail(
        item,
        f"The {item.record} changed in the archive since your preview (another import or "
        "an edit by hand); nothing was written for this page. Preview it again to see what it "
        "would change now.",
    )


def pack(items: list[Item], user) -> str:
    return signing.dumps({"user": user.pk, "items": [i.carried() for i in items]}, salt=SALT)


def unpack(token: str, user) -> list[Item]:
    """The previewed batch; a ValidationError says why it cannot be confirmed."""
    try:
        data = signing.loads(token, salt=SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            "This preview is more than an hour old; upload the pages again to see what they "
            "would change now."
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            "This preview cannot be confirmed: it was altered after it was made. Nothing was "
            "written; upload the pages again."
        ) from None
    if data["user"] != user.pk:
        raise ValidationError("This preview was made by someone else; nothing was written.")
    return [Item(**entry) for entry in data["items"]]


def counts(items: list[Item]) -> dict[str, int]:
    counted = Counter(item.status for item in items)
    return {status: counted[status] for status in (CREATED, UPDATED, UNCHANGED, FAILED)}


def render(model_admin, request, context: dict, status: int = 200) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import petitions",
        "max_files": max_files(),
        "max_bytes": settings.ARCHIVE_IMPORT_MAX_BYTES,
        **context,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


def import_view(model_admin, request):
    """Upload form → preview (dry run) → confirm (real run). Staff who may add petitions."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST" and "payload" in request.POST:
        return confirm(model_admin, request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(model_admin, request, {"form": form})
    if not form.is_valid():
        return render(model_admin, request, {"form": form}, status=400)
    can_change, seen = model_admin.has_change_permission(request), {}
    items = [
        preview_item(
            item, raw, request.user, can_change, seen, form.cleaned_data["kind"] or PETITIONS
        )
        if raw is not None
        else item
        for item, raw in read_inputs(form)
    ]
    payload = pack(items, request.user)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    too_big = limit is not None and len(payload) > limit - 64 * 1024
    context = {"items": items, "counts": counts(items), "payload": payload, "too_big": too_big}
    return render(model_admin, request, {"step": "preview", **context})


def confirm(model_admin, request):
    try:
        items = unpack(request.POST["payload"], request.user)
    except ValidationError as error:
        return render(model_admin, request, {"refused": error.message}, status=400)
    can_change = model_admin.has_change_permission(request)
    allowed = set(request.POST.getlist("allow_removals"))  # the ticked pages, by their hash
    items = [
        confirm_item(item, request.user, can_change, bool(item.sha256) and item.sha256 in allowed)
        for item in items
    ]
    return render(model_admin, request, {"step": "done", "items": items, "counts": counts(items)})
