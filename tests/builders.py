"""Small builders for test data: each makes a valid record, overridable field by field."""

import itertools

from partnerships.models import Agreement, Partner, Program, Relationship, Source, Topic

_counter = itertools.count(1)


def make_source(**overrides):
    n = next(_counter)
    fields = {"slug": f"source-{n}", "title": f"Source {n}", "url": f"https://example.org/{n}"}
    return Source.objects.create(**(fields | overrides))


def make_state(name="Washington", code="WA", **overrides):
    fields = {
        "name": name,
        "name_ja": "ワシントン州",
        "slug": name.lower().replace(" ", "-"),
        "kind": Partner.Kind.US_STATE,
        "country": "US",
        "iso_code": f"US-{code}",
        "latitude": 47.4,
        "longitude": -120.5,
    }
    return Partner.objects.create(**(fields | overrides))


def make_prefecture(name="Hyogo", number="28", **overrides):
    fields = {
        "name": name,
        "name_ja": "兵庫県",
        "name_kana": "ひょうごけん",
        "slug": f"{name.lower()}-prefecture",
        "kind": Partner.Kind.JP_PREFECTURE,
        "country": "JP",
        "iso_code": f"JP-{number}",
        "latitude": 34.69,
        "longitude": 135.18,
    }
    return Partner.objects.create(**(fields | overrides))


def make_us_city(name="Seattle", state=None, **overrides):
    state = state or Partner.objects.filter(kind=Partner.Kind.US_STATE).first() or make_state()
    fields = {
        "name": name,
        "slug": f"{name.lower().replace(' ', '-')}-{state.iso_code[-2:].lower()}",
        "kind": Partner.Kind.US_CITY,
        "country": "US",
        "parent": state,
        "latitude": 47.6,
        "longitude": -122.3,
    }
    return Partner.objects.create(**(fields | overrides))


def make_jp_city(name="Kobe", name_ja="神戸市", prefecture=None, **overrides):
    prefecture = prefecture or Partner.objects.filter(kind=Partner.Kind.JP_PREFECTURE).first() or make_prefecture()
    fields = {
        "name": name,
        "name_ja": name_ja,
        "slug": f"{name.lower()}-{prefecture.name.lower()}",
        "kind": Partner.Kind.JP_MUNICIPALITY,
        "country": "JP",
        "parent": prefecture,
        "latitude": 34.69,
        "longitude": 135.19,
    }
    return Partner.objects.create(**(fields | overrides))


def make_relationship(us_partner=None, jp_partner=None, sources=None, **overrides):
    fields = {
        "us_partner": us_partner or make_us_city(),
        "jp_partner": jp_partner or make_jp_city(),
        "kind": Relationship.Kind.SISTER_CITY,
    }
    link = Relationship.objects.create(**(fields | overrides))
    link.sources.set(sources if sources is not None else [make_source()])
    return link


def make_topic(name="Clean energy", **overrides):
    fields = {"name": name, "slug": name.lower().replace(" ", "-"), "name_ja": "クリーンエネルギー"}
    return Topic.objects.create(**(fields | overrides))


def make_agreement(parties=(), topics=(), **overrides):
    n = next(_counter)
    fields = {"title": f"Memorandum {n}", "slug": f"memorandum-{n}", "kind": Agreement.Kind.MEMORANDUM_OF_COOPERATION}
    agreement = Agreement.objects.create(**(fields | overrides))
    agreement.parties.set(parties)
    agreement.topics.set(topics)
    agreement.sources.set([make_source()])
    return agreement


def make_program(participants=(), topics=(), **overrides):
    n = next(_counter)
    fields = {"name": f"Program {n}", "slug": f"program-{n}"}
    program = Program.objects.create(**(fields | overrides))
    for partner, role in participants:
        program.participations.create(partner=partner, role=role)
    program.topics.set(topics)
    program.sources.set([make_source()])
    return program


STAFF_PASSWORD = "a-long-passphrase-for-tests-7"


def make_account(role, name):
    """A staff account in a role (partnerships.staff.roles.EDITORS or REVIEWERS)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(name, password=STAFF_PASSWORD, is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
    return user
