"""The directory's domain: who the partners are, and how they are linked.

A `Partner` is any participant (a state, a prefecture, a city, a university…). Two of
them are joined by a `Relationship` (sister city, sister state, friendship); several of
them sign an `Agreement` or take part in a `Program`. Every record cites its `Source`s.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships import search


class Country(models.TextChoices):
    US = "US", _("United States")
    JP = "JP", _("Japan")


class DatePrecision(models.TextChoices):
    """How much of a date its source states: "1963", "October 1963" or "17 June 2010"."""

    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


def precision_constraint(date_field, name):
    """A date and its precision are given together or not at all."""
    precision = f"{date_field}_precision"
    return models.CheckConstraint(
        condition=(Q(**{f"{date_field}__isnull": True}) & Q(**{precision: ""}))
        | (Q(**{f"{date_field}__isnull": False}) & Q(**{f"{precision}__in": DatePrecision.values})),
        name=name,
    )


class SlugManager(models.Manager):
    """Lets fixtures refer to records by slug rather than by database id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Source(models.Model):
    """Where a fact comes from: a dataset, a web page or a publication."""

    class Kind(models.TextChoices):
        DATASET = "dataset", _("dataset")
        WEB_PAGE = "web_page", _("web page")
        PUBLICATION = "publication", _("publication")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.WEB_PAGE)
    author = models.CharField(_("author"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    accessed = models.DateField(_("accessed"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "slug"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class Topic(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ja = models.CharField(_("Japanese name"), max_length=120, blank=True)

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class PartnerQuerySet(models.QuerySet):
    def search(self, q):
        """Partners whose names, former names or state/prefecture match every word; best first."""
        return (
            self.filter(search.search_filter(q, [], folded_fields=["search_text"]))
            .annotate(search_rank=search.rank(q, ["search_text"]))
            .order_by("search_rank", *self.query.order_by or self.model._meta.ordering)
        )

    def similar_to(self, name, parent=None, codes=None):
        """Partners an editor may be about to add again: same code, or same name in the same region."""
        condition = Q()
        for field, value in (codes or {}).items():
            if value:
                condition |= Q(**{field: value})
        if name:
            same_name = Q(name__iexact=name.strip()) | Q(name_ja=name.strip())
            condition |= same_name & (Q(parent=parent) if parent else Q(parent__isnull=True))
        return list(self.filter(condition).select_related("parent")[:10]) if condition else []

    def refresh_search_text(self):
        """Recompute `search_text`, e.g. after loaddata, which bypasses save()."""
        partners = list(self.select_related("parent"))
        for partner in partners:
            partner.search_text = partner.build_search_text()
        self.model.objects.bulk_update(partners, ["search_text"], batch_size=500)
        return len(partners)

    def places(self):
        return self.filter(kind__in=Partner.PLACE_KINDS)

    def with_relationship_count(self):
        # Aggregating queries drop Meta.ordering, so restate it for stable pagination.
        return self.annotate(
            relationship_count=Count("us_relationships", distinct=True) + Count("jp_relationships", distinct=True)
        ).order_by(*self.model._meta.ordering)


class Partner(models.Model):
    class Kind(models.TextChoices):
        US_STATE = "us_state", _("US state")
        US_TERRITORY = "us_territory", _("US territory")
        US_COUNTY = "us_county", _("US county")
        US_CITY = "us_city", _("US city")
        JP_PREFECTURE = "jp_prefecture", _("Japanese prefecture")
        JP_MUNICIPALITY = "jp_municipality", _("Japanese municipality")
        NATIONAL_GOVERNMENT = "national_government", _("national government or agency")
        STATE_AGENCY = "state_agency", _("state or local government agency")
        CONSULATE = "consulate", _("consulate")
        UNIVERSITY = "university", _("university")
        RESEARCH_INSTITUTE = "research_institute", _("research institute")
        SOCIETY = "society", _("society")
        BUSINESS_ORGANIZATION = "business_organization", _("business organization")
        NONPROFIT = "nonprofit", _("nonprofit")
        OTHER = "other", _("other")

    # Kinds that are places on a map and can be twinned.
    PLACE_KINDS = [
        Kind.US_STATE,
        Kind.US_TERRITORY,
        Kind.US_COUNTY,
        Kind.US_CITY,
        Kind.JP_PREFECTURE,
        Kind.JP_MUNICIPALITY,
    ]
    # Kinds that are a state or prefecture: what `parent` points at for places.
    REGION_KINDS = [Kind.US_STATE, Kind.US_TERRITORY, Kind.JP_PREFECTURE]
    US_ONLY_KINDS = [Kind.US_STATE, Kind.US_TERRITORY, Kind.US_COUNTY, Kind.US_CITY]
    JP_ONLY_KINDS = [Kind.JP_PREFECTURE, Kind.JP_MUNICIPALITY]

    name = models.CharField(_("name"), max_length=200)
    name_ja = models.CharField(_("Japanese name"), max_length=200, blank=True)
    name_kana = models.CharField(
        _("reading (kana)"), max_length=200, blank=True, help_text=_("Reading of the Japanese name in hiragana.")
    )
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    country = models.CharField(_("country"), max_length=2, choices=Country)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("state or prefecture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The state or prefecture this partner sits in."),
    )
    iso_code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=6,
        blank=True,
        help_text=_("For states, territories and prefectures: US-WA, JP-28."),
    )
    local_gov_code = models.CharField(
        _("local government code"),
        max_length=6,
        blank=True,
        help_text=_("Japan's six-digit local government code (全国地方公共団体コード), e.g. 281000 for Kobe."),
    )
    fips_code = models.CharField(_("FIPS code"), max_length=10, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ja = models.TextField(_("description in Japanese"), blank=True)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Former and alternative names, one per line (e.g. a town's name before a merger)."),
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="partners")
    # Folded names for search (see partnerships/search.py); derived in save().
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = SlugManager.from_queryset(PartnerQuerySet)()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["iso_code"], condition=~Q(iso_code=""), name="partner_unique_iso_code"),
            models.UniqueConstraint(
                fields=["local_gov_code"], condition=~Q(local_gov_code=""), name="partner_unique_local_gov_code"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="partner_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="partner_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="partner_coordinates_together",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="partner_not_own_parent"),
            models.CheckConstraint(
                condition=~Q(kind__in=["us_state", "us_territory", "us_county", "us_city"]) | Q(country="US"),
                name="partner_us_kinds_in_us",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["jp_prefecture", "jp_municipality"]) | Q(country="JP"),
                name="partner_jp_kinds_in_japan",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "kind"], name="partner_country_kind"),
            models.Index(fields=["name_kana"], name="partner_name_kana"),
        ]

    def __str__(self):
        if self.parent_id and self.kind in (self.Kind.US_CITY, self.Kind.US_COUNTY, self.Kind.JP_MUNICIPALITY):
            return f"{self.name}, {self.parent.name}"
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)
        if self.kind in self.REGION_KINDS:
            # The places inside a state or prefecture are found by its names too.
            self.children.all().refresh_search_text()

    def get_absolute_url(self):
        return reverse("partnerships:partner-detail", kwargs={"slug": self.slug})

    def build_search_text(self):
        names = [self.name, self.name_ja, self.name_kana, *self.alias_list, self.iso_code, self.local_gov_code]
        if self.kind == self.Kind.JP_PREFECTURE:
            names.append(f"{self.name} Prefecture")
        elif self.kind in (self.Kind.US_STATE, self.Kind.US_TERRITORY):
            names += [f"{self.name} State", f"State of {self.name}"]
        elif self.kind == self.Kind.JP_MUNICIPALITY and self.name_ja.endswith("市"):
            names.append(f"{self.name} City")
        own = search.search_text(*names)
        if self.parent_id:
            # After a different delimiter, so that a city never ranks as an exact match for its prefecture.
            parent = self.parent
            return own + "/" + "/".join(search.fold(n) for n in (parent.name, parent.name_ja) if n) + "/"
        return own

    def natural_key(self):
        return (self.slug,)

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def clean(self):
        errors = {}
        if self.kind in self.US_ONLY_KINDS and self.country != Country.US:
            errors["country"] = _("A %(kind)s is in the United States.") % {"kind": self.get_kind_display()}
        if self.kind in self.JP_ONLY_KINDS and self.country != Country.JP:
            errors["country"] = _("A %(kind)s is in Japan.") % {"kind": self.get_kind_display()}
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("A partner cannot sit inside itself.")
            elif self.parent.country != self.country:
                errors["parent"] = _("The state or prefecture must be in the same country as the partner.")
            elif self.parent.kind not in self.REGION_KINDS:
                errors["parent"] = _("Choose a state, territory or prefecture as the parent.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)


class Status(models.TextChoices):
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    UNKNOWN = "unknown", _("unknown")


class RelationshipQuerySet(models.QuerySet):
    SEARCHED = ["us_partner__search_text", "jp_partner__search_text"]

    def search(self, q):
        return (
            self.filter(search.search_filter(q, ["notes"], folded_fields=self.SEARCHED))
            .annotate(search_rank=search.rank(q, self.SEARCHED))
            .order_by("search_rank", *self.query.order_by or self.model._meta.ordering)
        )

    def with_source_count(self):
        return self.annotate(source_count=self.model.source_count_expression())

    def corroborated(self):
        return self.with_source_count().filter(source_count__gte=2)

    def single_source(self):
        return self.with_source_count().filter(source_count__lt=2)

    def count_by_region(self, side):
        """How many links each state (side="us_partner") or prefecture ("jp_partner") has,
        counting its own links and those of the places inside it; most first."""
        is_region = Q(**{f"{side}__kind__in": Partner.REGION_KINDS})

        def region(field):
            return Case(When(is_region, then=F(f"{side}__{field}")), default=F(f"{side}__parent__{field}"))

        return (
            self.annotate(region_slug=region("slug"), region_name=region("name"), region_name_ja=region("name_ja"))
            .values("region_slug", "region_name", "region_name_ja")
            .annotate(count=Count("id"))
            .order_by("-count", "region_name")
        )


class Relationship(models.Model):
    """A sister-city, sister-state or friendship link between a US and a Japanese partner."""

    class Kind(models.TextChoices):
        SISTER_CITY = "sister_city", _("sister city")
        SISTER_STATE = "sister_state", _("sister state")
        FRIENDSHIP = "friendship", _("friendship")

    us_partner = models.ForeignKey(
        Partner, verbose_name=_("US partner"), on_delete=models.PROTECT, related_name="us_relationships"
    )
    jp_partner = models.ForeignKey(
        Partner, verbose_name=_("Japanese partner"), on_delete=models.PROTECT, related_name="jp_relationships"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.SISTER_CITY)
    established = models.DateField(_("established"), null=True, blank=True)
    established_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    notes = models.TextField(_("notes"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="relationships")
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="relationships")

    objects = RelationshipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["us_partner__name", "jp_partner__name", "id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(fields=["us_partner", "jp_partner", "kind"], name="relationship_unique_pair_kind"),
            models.CheckConstraint(condition=~Q(us_partner=models.F("jp_partner")), name="relationship_not_self"),
            precision_constraint("established", "relationship_established_precision"),
        ]
        indexes = [models.Index(fields=["established"], name="relationship_established")]

    def __str__(self):
        return f"{self.us_partner.name} – {self.jp_partner.name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("partnerships:relationship-detail", kwargs={"pk": self.pk})

    @classmethod
    def source_count_expression(cls):
        """How many sources a relationship cites, as a subquery (no GROUP BY on the outer query)."""
        citations = (
            cls.sources.through.objects.filter(relationship=OuterRef("pk"))
            .order_by()
            .values("relationship")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(citations), 0)

    def clean(self):
        errors = {}
        us, jp = getattr(self, "us_partner", None), getattr(self, "jp_partner", None)
        if us and jp and us.country == jp.country and us.pk != jp.pk:
            where = _("in Japan") if us.country == Country.JP else _("in the United States")
            errors["__all__"] = _("Both partners are %(where)s: a %(kind)s link joins a US and a Japanese partner.") % {
                "where": where,
                "kind": self.get_kind_display(),
            }
            raise ValidationError(errors)
        if us and us.country != Country.US:
            errors["us_partner"] = _(
                "%(name)s is not in the United States: the US side must be an American partner."
            ) % {"name": us.name}
        if jp and jp.country != Country.JP:
            errors["jp_partner"] = _("%(name)s is not in Japan: the Japanese side must be a Japanese partner.") % {
                "name": jp.name
            }
        if us and jp and us.pk == jp.pk:
            errors["jp_partner"] = _("A partner cannot be linked with itself.")
        if self.kind == self.Kind.SISTER_STATE and not errors:
            if us and us.kind not in (Partner.Kind.US_STATE, Partner.Kind.US_TERRITORY):
                errors["us_partner"] = _("A sister-state link joins a US state or territory to a prefecture.")
            if jp and jp.kind != Partner.Kind.JP_PREFECTURE:
                errors["jp_partner"] = _("A sister-state link joins a US state or territory to a prefecture.")
        errors.update(precision_errors(self.established, self.established_precision, "established"))
        if errors:
            raise ValidationError(errors)

    @property
    def is_corroborated(self):
        count = getattr(self, "source_count", None)
        if count is None:
            count = self.sources.count()
        return count >= 2


def precision_errors(date, precision, field):
    if date and not precision:
        return {f"{field}_precision": _("Say how precise the date is: year, month or day.")}
    if precision and not date:
        return {field: _("Give the date, or leave its precision empty.")}
    return {}


class AgreementQuerySet(models.QuerySet):
    def search(self, q):
        fields = ["title", "title_ja", "summary", "topics__name", "topics__name_ja"]
        matches = self.model.objects.filter(search.search_filter(q, fields, folded_fields=["parties__search_text"]))
        return self.filter(pk__in=matches.values("pk"))


class Agreement(models.Model):
    """A memorandum of cooperation or understanding, or a similar signed agreement."""

    class Kind(models.TextChoices):
        MEMORANDUM_OF_COOPERATION = "memorandum_of_cooperation", _("memorandum of cooperation")
        MEMORANDUM_OF_UNDERSTANDING = "memorandum_of_understanding", _("memorandum of understanding")
        SISTER_AFFILIATION = "sister_affiliation", _("sister affiliation agreement")
        FRIENDSHIP_AGREEMENT = "friendship_agreement", _("friendship agreement")
        OTHER = "other", _("other agreement")

    class Status(models.TextChoices):
        ACTIVE = "active", _("in force")
        EXPIRED = "expired", _("expired")
        SUPERSEDED = "superseded", _("superseded")
        UNKNOWN = "unknown", _("unknown")

    title = models.CharField(_("title"), max_length=300)
    title_ja = models.CharField(_("Japanese title"), max_length=300, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    signed = models.DateField(_("signed"), null=True, blank=True)
    signed_precision = models.CharField(_("precision of the date"), max_length=5, choices=DatePrecision, blank=True)
    expires = models.DateField(_("expires"), null=True, blank=True)
    parties = models.ManyToManyField(Partner, verbose_name=_("parties"), related_name="agreements")
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="agreements")
    summary = models.TextField(_("summary"), blank=True)
    document_url = models.URLField(_("document"), max_length=500, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        help_text=_("The earlier agreement this one renews or extends."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.UNKNOWN)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="agreements")

    objects = SlugManager.from_queryset(AgreementQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "slug"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            precision_constraint("signed", "agreement_signed_precision"),
            models.CheckConstraint(condition=~Q(renews=models.F("pk")), name="agreement_not_renewing_itself"),
            models.CheckConstraint(
                condition=Q(expires__isnull=True) | Q(signed__isnull=True) | Q(expires__gte=models.F("signed")),
                name="agreement_expires_after_signed",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:agreement-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        errors = precision_errors(self.signed, self.signed_precision, "signed")
        if self.renews_id and self.renews_id == self.pk:
            errors["renews"] = _("An agreement cannot renew itself.")
        if self.expires and self.signed and self.expires < self.signed:
            errors["expires"] = _("An agreement cannot expire before it is signed.")
        if errors:
            raise ValidationError(errors)


class ProgramQuerySet(models.QuerySet):
    def search(self, q):
        fields = ["name", "name_ja", "summary", "description", "topics__name", "topics__name_ja"]
        condition = search.search_filter(q, fields, folded_fields=["participants__search_text"])
        matches = self.model.objects.filter(condition)
        return self.filter(pk__in=matches.values("pk"))


class Program(models.Model):
    """A joint initiative, such as the Hawaii–Okinawa Clean Energy Partnership."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        UNKNOWN = "unknown", _("unknown")

    name = models.CharField(_("name"), max_length=300)
    name_ja = models.CharField(_("Japanese name"), max_length=300, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.UNKNOWN)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="programs")
    participants = models.ManyToManyField(
        Partner, through="Participation", verbose_name=_("participants"), related_name="programs"
    )
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("related agreements"), blank=True, related_name="programs"
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="programs")

    objects = SlugManager.from_queryset(ProgramQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "slug"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="program_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__gte=1800, start_year__lte=2200),
                name="program_start_year_plausible",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:program-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("A program cannot end before it starts.")})


class Participation(models.Model):
    """A partner's part in a program."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        MEMBER = "member", _("member")
        FUNDER = "funder", _("funder")
        HOST = "host", _("host")
        SUPPORTER = "supporter", _("supporter")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="participations"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "role", "partner__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["program", "partner"], name="participation_unique_partner"),
        ]

    def __str__(self):
        return f"{self.partner} ({self.get_role_display()}) in {self.program}"


# --- What changed: the published history, for /changes/ and its feed -------------------------


@dataclass
class PublishedChange:
    key: str
    date: datetime.datetime
    verb: str
    kind: str
    label: str
    reason: str
    url: str


CHANGE_VERBS = {"+": _("Added"), "~": _("Changed"), "-": _("Removed")}


def recent_changes(limit):
    """The newest `limit` published changes to partners, relationships, agreements and programs
    (one query per kind of record)."""
    followed = [
        (Partner, ["parent"]),
        (Relationship, ["us_partner", "jp_partner"]),
        (Agreement, []),
        (Program, []),
    ]
    changes = []
    for model, related in followed:
        for record in model.history.select_related(*related).order_by("-history_date", "-history_id")[:limit]:
            instance = record.instance
            try:
                label = str(instance)
            except ObjectDoesNotExist:  # a partner it named has since been removed
                label = f"{model._meta.verbose_name} #{record.id}"
            changes.append(
                PublishedChange(
                    key=f"{model._meta.model_name}-{record.history_id}",
                    date=record.history_date,
                    verb=str(CHANGE_VERBS[record.history_type]),
                    kind=str(model._meta.verbose_name),
                    label=label,
                    reason=record.history_change_reason or "",
                    url="" if record.history_type == "-" else instance.get_absolute_url(),
                )
            )
    changes.sort(key=lambda change: change.date, reverse=True)
    return changes[:limit]


# --- Review before publishing ------------------------------------------------------------------
#
# The directory's tables hold only published records. An editor's addition or change is kept
# as a ChangeRequest until a reviewer approves it; approving applies it to the published record
# (recording who proposed it and why in the record's history). So the public pages, search,
# facets and exports can never show a draft.


def serialize_value(field, value):
    """A form value as JSON: instances become ids, dates ISO strings."""
    if field.many_to_many:
        return sorted(item.pk for item in value) if value is not None else []
    if field.is_relation:
        return value.pk if value is not None else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def snapshot(instance, names):
    """The current values of a record's fields, as a ChangeRequest stores them."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        elif field.is_relation:
            values[name] = getattr(instance, field.attname)
        else:
            values[name] = serialize_value(field, getattr(instance, name))
    return values


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequest.Status.PENDING)


class ChangeRequest(models.Model):
    """An addition or change that an editor proposes and a reviewer publishes or rejects."""

    class Action(models.TextChoices):
        CREATE = "create", _("add")
        UPDATE = "update", _("change")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        APPROVED = "approved", _("published")
        REJECTED = "rejected", _("rejected")

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    object_repr = models.CharField(_("record"), max_length=300)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    proposed = models.JSONField(_("proposed values"))
    base = models.JSONField(_("published values when proposed"), default=dict)
    reason = models.TextField(_("reason for the change"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("proposed"), default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    import_batch = models.CharField(
        _("import"), max_length=40, blank=True, help_text=_("Set when the change came from a bulk import.")
    )

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("change awaiting review")
        verbose_name_plural = _("changes for review")
        permissions = [
            ("publish_changerequest", _("Can publish and reject changes")),
            ("import_records", _("Can import records from a file")),
        ]
        indexes = [models.Index(fields=["status", "-created"], name="changerequest_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="create") | Q(object_id__isnull=False), name="changerequest_update_names_record"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"

    def get_absolute_url(self):
        return reverse("admin:partnerships_changerequest_review", args=[self.pk])

    @classmethod
    def propose(cls, instance, values, author, reason, import_batch=""):
        """Keep `values` ({field name: value} from a valid form) as a proposal for `instance`."""
        model = type(instance)
        proposed = {name: serialize_value(model._meta.get_field(name), value) for name, value in values.items()}
        creating = instance.pk is None or instance._state.adding
        current = model.objects.filter(pk=instance.pk).first() if not creating else None
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=None if creating else instance.pk,
            object_repr=str(instance)[:300],
            action=cls.Action.CREATE if creating else cls.Action.UPDATE,
            proposed=proposed,
            base=snapshot(current, proposed) if current else {},
            reason=reason,
            author=author,
            import_batch=import_batch,
        )

    @property
    def model(self):
        return self.content_type.model_class()

    def target(self):
        """The published record this changes, or None for an addition (or a record since deleted)."""
        if self.object_id is None:
            return None
        return self.model.objects.filter(pk=self.object_id).first()

    def differences(self):
        """[(field, published value, proposed value, changed since proposed)] for the review page."""
        current = self.target()
        now = snapshot(current, self.proposed) if current else {}
        rows = []
        for name, value in self.proposed.items():
            field = self.model._meta.get_field(name)
            published = now.get(name)
            if current is not None and published == value:
                continue
            rows.append(
                {
                    "field": field.verbose_name,
                    "published": self._display(field, published) if current else "",
                    "proposed": self._display(field, value),
                    "moved_on": bool(self.base) and self.base.get(name) != published,
                }
            )
        return rows

    def _display(self, field, value):
        if value in (None, "", []):
            return "—"
        if field.many_to_many:
            return ", ".join(str(item) for item in field.related_model.objects.filter(pk__in=value))
        if field.is_relation:
            return str(field.related_model.objects.filter(pk=value).first() or value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    def build(self):
        """The record as it would be published, validated, and its many-to-many values."""
        model = self.model
        instance = self.target() if self.action == self.Action.UPDATE else model()
        if instance is None:
            raise ValidationError(_("The record this change was made to no longer exists."))
        many = {}
        for name, value in self.proposed.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                many[name] = value
            elif field.is_relation:
                setattr(instance, field.attname, value)
            else:
                setattr(instance, name, field.to_python(value))
        instance.full_clean(exclude=list(many))
        return instance, many

    def approve(self, reviewer, note=""):
        """Publish: apply the change to the directory, with its author and reason in the history."""
        if self.status != self.Status.PENDING:
            raise ValidationError(_("This change has already been reviewed."))
        with transaction.atomic():
            instance, many = self.build()
            instance._history_user = self.author
            instance._change_reason = f"{self.reason} (approved by {reviewer})"[:100]
            instance.save()
            for name, ids in many.items():
                getattr(instance, name).set(ids)
            self.object_id = instance.pk
            self.object_repr = str(instance)[:300]
            self._close(self.Status.APPROVED, reviewer, note)
        return instance

    def reject(self, reviewer, note):
        if self.status != self.Status.PENDING:
            raise ValidationError(_("This change has already been reviewed."))
        if not note.strip():
            raise ValidationError(_("Say why the change is rejected, so that its author can put it right."))
        self._close(self.Status.REJECTED, reviewer, note)

    def _close(self, status, reviewer, note):
        self.status = status
        self.reviewer = reviewer
        self.reviewed = timezone.now()
        self.review_note = note
        self.save()
