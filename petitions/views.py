from django.db.models import Count
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.generic import ListView

from petitions.models import Member, Petition, Topic
from petitions.serialize import petition_json as to_json
from responses.models import Portfolio, Response


def home(request):
    context = {
        "petitions": Petition.objects.for_list().newest_first()[:10],
        "responses": Response.objects.for_list().latest_first()[:10],
        "topics": Topic.objects.annotate(count=Count("petitions")).order_by("-count", "name"),
    }
    return render(request, "petitions/home.html", context)


def canonical(request, number: str, view_name: str):
    """The petition for any form of its number, or a permanent redirect to its canonical URL."""
    petition = Petition.objects.for_detail().find(number)
    if petition is None:
        raise Http404(f"No petition numbered {number} is in the archive.")
    if petition.number != number:
        return None, HttpResponsePermanentRedirect(reverse(view_name, args=[petition.number]))
    return petition, None


def petition_detail(request, number: str):
    petition, redirect = canonical(request, number, "petitions:detail")
    if redirect:
        return redirect
    return render(request, "petitions/petition_detail.html", {"petition": petition})


def petition_json(request, number: str):
    petition, redirect = canonical(request, number, "petitions:detail-json")
    if redirect:
        return redirect
    data = to_json(petition, request.build_absolute_uri("/").rstrip("/"))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})


class PetitionListView(ListView):
    template_name = "petitions/petition_list.html"
    context_object_name = "petitions"
    paginate_by = 25

    def get_queryset(self):
        return Petition.objects.for_list().newest_first()


class SubjectListView(PetitionListView):
    """The petitions of one topic, portfolio or MP."""

    model = None
    template_name = "petitions/subject.html"

    def get_subject(self):
        return get_object_or_404(self.model, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)

    def get(self, request, *args, **kwargs):
        self.subject = self.get_subject()
        return super().get(request, *args, **kwargs)


class TopicView(SubjectListView):
    model = Topic

    def get_queryset(self):
        return super().get_queryset().filter(topic=self.subject)


class PortfolioView(SubjectListView):
    model = Portfolio

    def get_queryset(self):
        return super().get_queryset().filter(responses__portfolio=self.subject).distinct()


class MemberView(SubjectListView):
    model = Member

    def get_queryset(self):
        member = self.subject
        return super().get_queryset().filter(sponsor=member) | super().get_queryset().filter(
            presenter=member
        )


def not_found(request, exception=None):
    message = str(exception) if exception and "archive" in str(exception) else ""
    return render(request, "404.html", {"message": message}, status=404)
