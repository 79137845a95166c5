"""Model factories for tests that need petitions other than the real pages."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from petitions.models import Caucus, Grievance, Member, Petition, PrayerItem, Topic
from responses.models import Portfolio, Response, Signer


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class CaucusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caucus
        django_get_or_create = ["name"]

    name = "Liberal"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Member {n}")
    slug = factory.Sequence(lambda n: f"member-{n}")
    riding = "Ottawa Centre"
    caucus = factory.SubFactory(CaucusFactory)
    province = "ON"


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    number = factory.Sequence(lambda n: f"e-{90000 + n}")
    kind = "e-petition"
    topic = factory.SubFactory(TopicFactory)
    initiator_name = "Jane Doe"
    initiator_city = "Ottawa"
    initiator_province = "ON"
    initiator_province_text = "Ontario"
    original_language = "en"
    addressee = "House of Commons"
    prayer_text = "We, the undersigned, call upon the House of Commons to act."
    opened_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=400))
    closed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=280))
    presented_on = factory.LazyFunction(lambda: date.today() - timedelta(days=200))
    # Presented 200 days ago: in the sitting 45th Parliament (the 44th was dissolved in 2025).
    presented_number = factory.Sequence(lambda n: f"451-{n:05d}")
    parliament = 45
    session = 1
    sponsor = factory.SubFactory(MemberFactory)


class GrievanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grievance

    petition = factory.SubFactory(PetitionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Whereas something is the matter."


class PrayerItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrayerItem

    petition = factory.SubFactory(PetitionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Do something about it."


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio
        django_get_or_create = ["name"]

    name = "Minister of Health"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class SignerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signer
        django_get_or_create = ["name"]

    name = "Pat Minister"
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    petition = factory.SubFactory(PetitionFactory)
    position = factory.Sequence(lambda n: n + 1)
    portfolio = factory.SubFactory(PortfolioFactory)
    signer = factory.SubFactory(SignerFactory)
    text = "First paragraph.\n\nSecond paragraph."
    tabled_on = factory.LazyFunction(lambda: date.today() - timedelta(days=150))
