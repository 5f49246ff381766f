import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from partnerships.models import Partner, Relationship
from tests.builders import (
    make_agreement,
    make_jp_city,
    make_prefecture,
    make_relationship,
    make_source,
    make_state,
    make_us_city,
)

pytestmark = pytest.mark.django_db


def test_the_same_pair_and_kind_cannot_exist_twice():
    link = make_relationship()
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(us_partner=link.us_partner, jp_partner=link.jp_partner, kind=link.kind)


def test_the_same_pair_may_be_linked_by_another_kind():
    link = make_relationship()
    Relationship.objects.create(
        us_partner=link.us_partner, jp_partner=link.jp_partner, kind=Relationship.Kind.FRIENDSHIP
    )
    assert Relationship.objects.count() == 2


def test_a_date_without_its_precision_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_relationship(established=datetime.date(1957, 10, 1), established_precision="")


def test_a_precision_without_a_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_relationship(established=None, established_precision="year")


def test_a_partner_cannot_be_linked_with_itself():
    city = make_us_city()
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(us_partner=city, jp_partner=city)


@pytest.mark.parametrize("latitude,longitude", [(91, 0), (-91, 0), (0, 181), (0, -181)])
def test_coordinates_out_of_range_are_refused(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_us_city(latitude=latitude, longitude=longitude)


def test_coordinates_come_in_pairs():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_us_city(latitude=47.6, longitude=None)


def test_two_partners_cannot_share_an_iso_code():
    make_state()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_state(name="Washington duplicate", slug="wa-dup")


def test_blank_codes_do_not_collide():
    make_us_city(name="Tacoma")
    make_us_city(name="Spokane")
    assert Partner.objects.filter(iso_code="", local_gov_code="").count() == 2


def test_a_us_kind_outside_the_us_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_us_city(country="JP")


def test_clean_explains_two_japanese_partners_in_plain_words():
    kobe = make_jp_city()
    osaka = make_jp_city(name="Osaka", name_ja="大阪市", slug="osaka-osaka")
    link = Relationship(us_partner=kobe, jp_partner=osaka, kind=Relationship.Kind.SISTER_CITY)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert error.value.messages == ["Both partners are in Japan: a sister city link joins a US and a Japanese partner."]


def test_clean_explains_a_japanese_partner_on_the_us_side():
    link = Relationship(us_partner=make_jp_city(), jp_partner=make_us_city(), kind=Relationship.Kind.SISTER_CITY)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "Kobe is not in the United States" in str(error.value.message_dict["us_partner"])


def test_clean_explains_two_us_partners_in_plain_words():
    link = Relationship(us_partner=make_us_city(), jp_partner=make_us_city(name="Tacoma"))
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "Both partners are in the United States" in error.value.messages[0]


def test_clean_says_a_sister_state_link_joins_a_state_and_a_prefecture():
    link = Relationship(us_partner=make_us_city(), jp_partner=make_prefecture(), kind=Relationship.Kind.SISTER_STATE)
    with pytest.raises(ValidationError) as error:
        link.full_clean(exclude=["sources"])
    assert "joins a US state" in str(error.value.message_dict["us_partner"])


def test_clean_asks_for_the_precision_of_a_date():
    link = Relationship(us_partner=make_us_city(), jp_partner=make_jp_city(), established=datetime.date(1957, 10, 1))
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "how precise" in str(error.value.message_dict["established_precision"])


def test_clean_refuses_a_parent_in_the_other_country():
    city = Partner(name="Odd", slug="odd", kind=Partner.Kind.US_CITY, country="US", parent=make_prefecture())
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "same country" in str(error.value.message_dict["parent"])


def test_an_agreement_cannot_expire_before_it_is_signed():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_agreement(signed=datetime.date(2020, 1, 1), signed_precision="day", expires=datetime.date(2019, 1, 1))


def test_a_city_reads_with_its_state_or_prefecture():
    assert str(make_us_city()) == "Seattle, Washington"
    assert str(make_jp_city()) == "Kobe, Hyogo"


def test_records_have_permalinks():
    link = make_relationship()
    assert link.get_absolute_url() == f"/en/relationships/{link.pk}/"
    assert link.us_partner.get_absolute_url() == "/en/partners/seattle-wa/"
    with translation.override("ja"):
        assert link.get_absolute_url() == f"/ja/relationships/{link.pk}/"


def test_corroboration_counts_distinct_sources():
    wikipedia, sistercity = make_source(), make_source()
    single = make_relationship(sources=[wikipedia])
    double = make_relationship(
        us_partner=make_us_city(name="Tacoma"), jp_partner=single.jp_partner, sources=[wikipedia, sistercity]
    )
    assert list(Relationship.objects.corroborated()) == [double]
    assert single in Relationship.objects.corroborated(False)


def test_counts_by_state_include_the_states_cities():
    washington = make_state()
    kobe = make_jp_city()
    make_relationship(us_partner=make_us_city(state=washington), jp_partner=kobe)
    make_relationship(us_partner=washington, jp_partner=kobe.parent, kind=Relationship.Kind.SISTER_STATE)
    rows = list(Relationship.objects.count_by_region("us_partner"))
    assert rows == [
        {
            "region_slug": "washington",
            "region_name": "Washington",
            "region_name_ja": "ワシントン州",
            "region_code": "US-WA",
            "count": 2,
        }
    ]


def test_derived_columns_follow_every_write():
    wikipedia, sistercity = make_source(), make_source()
    link = make_relationship(sources=[wikipedia])
    link.refresh_from_db()
    assert (link.source_count, link.us_region, link.jp_region, link.decade) == (1, "US-WA", "JP-28", None)
    link.sources.add(sistercity)
    link.refresh_from_db()
    assert link.source_count == 2 and Relationship.objects.corroborated().filter(pk=link.pk).exists()
    sistercity.relationships.remove(link)  # from the other side too
    link.refresh_from_db()
    assert link.source_count == 1
    link.established, link.established_precision = datetime.date(1957, 10, 1), "month"
    link.save()
    link.refresh_from_db()
    assert link.decade == 1950
    oregon = make_state(name="Oregon", code="OR")
    seattle = link.us_partner
    seattle.parent = oregon
    seattle.save()
    link.refresh_from_db()
    assert link.us_region == "US-OR"
