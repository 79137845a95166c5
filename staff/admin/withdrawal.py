"""Withdraw and restore in the admin: buttons on the change form of a petition or document lead
to a small form (the public reason is required) or a confirmation; both need the model's
`withdraw_<model>` permission, and without it the buttons are absent and a post is refused (403).
Nothing is ever deleted from the admin: withdrawal is the way off the public site."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from staff import withdrawal


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="Public reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Shown to the public at the record's address, with the date.",
    )


class WithdrawalAdmin:
    """A ModelAdmin mixin for models with `withdrawn_at`, `withdrawal_reason` and history."""

    change_form_template = "admin/withdrawal_change_form.html"

    def has_delete_permission(self, request, obj=None):
        return False  # an archive never deletes; staff withdraw instead

    def has_withdraw_permission(self, request) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.withdraw_{opts.model_name}")

    def get_list_display(self, request):
        return [*super().get_list_display(request), "withdrawn_at"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ("withdrawn_at", admin.EmptyFieldListFilter)]

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/withdraw/", wrap(self.withdraw_view), name=f"{name}_withdraw"),
            path("<int:pk>/restore/", wrap(self.restore_view), name=f"{name}_restore"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        context["can_withdraw"] = self.has_withdraw_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)

    def withdraw_view(self, request, pk: int):
        record = self._record(request, pk)
        if record.withdrawn_at:
            return self._back(request, record, "is already withdrawn.", messages.WARNING)
        form = WithdrawalForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            withdrawal.withdraw(record, form.cleaned_data["reason"], request.user)
            return self._back(request, record, "is withdrawn: its page answers 410 Gone.")
        return self._page(request, record, "Withdraw", form)

    def restore_view(self, request, pk: int):
        record = self._record(request, pk)
        if not record.withdrawn_at:
            return self._back(request, record, "is not withdrawn.", messages.WARNING)
        if request.method == "POST":
            withdrawal.restore(record, request.user)
            return self._back(request, record, "is restored: it is public again.")
        return self._page(request, record, "Restore", None)

    def _record(self, request, pk: int):
        if not self.has_withdraw_permission(request):
            raise PermissionDenied
        record = self.get_queryset(request).filter(pk=pk).first()
        if record is None:
            raise Http404("No such record.")
        return record

    def _back(self, request, record, message: str, level=messages.SUCCESS):
        self.message_user(request, f"{record} {message}", level)
        opts = record._meta
        return redirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        )

    def _page(self, request, record, act: str, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": record,
            "act": act,
            "form": form,
            "title": f"{act} {record}",
        }
        return TemplateResponse(request, "admin/withdrawal.html", context)
