"""The directory's records: who the partners are, and how they are linked.

A `Partner` is any participant (a state, a prefecture, a city, a university…). Two of
them are joined by a `Relationship` (sister city, sister state, friendship); several of
them sign an `Agreement` or take part in a `Program`. Every record cites its `Source`s.

Two ideas that every list, facet, export, import and count needs are defined here once:
which state or prefecture a partner is in (`region_of`, `in_regions`), and when a
relationship is corroborated (`RelationshipQuerySet.corroborated`, `Relationship.is_corroborated`,
after the rule in `partnerships.rules.evidence`).
"""

from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.history import RecordedChange
from partnerships.models.versioned import Versioned
from partnerships.rules import evidence, languages, names, search, slugs
from partnerships.rules.dates import DatePrecision
from partnerships.rules.languages import page_language
from partnerships.rules.names import language_of, local_name
from partnerships.rules.text import CleanTextModel
from partnerships.sql import fulltext


class Country(models.TextChoices):
    US = "US", _("United States")
    JP = "JP", _("Japan")


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


class Source(Versioned, CleanTextModel):
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

    @property
    def title_language(self):
        """The language the title is written in ("ja" or "en"), for its `lang` attribute."""
        return language_of(self.title)


class Topic(Versioned, CleanTextModel):
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

    def closest(self, q, limit=5):
        """The partners named most like `q`, for a query that matched nothing (see search.py)."""
        if not search.forgivable(q):
            return []
        candidates = fulltext.near_names(self, search.fold(q)) or self.values_list("pk", "search_text")
        ranked = search.closest(q, candidates, limit)
        found = self.select_related("parent").in_bulk([key for key, _, _ in ranked])
        return [found[key] for key, _, _ in ranked]

    def same_as(self, names=(), region_code=None, codes=None):
        """Partners that may be the one described — the one rule of "is this the same partner" for
        the admin's similar partners and an import's lookup: the same code (`codes`: {field: value};
        a local government code given without its check digit matches the six-digit one), or one of
        `names` (English, case aside; Japanese; or one of its aliases, a line of them) in the state or
        prefecture with `region_code` (being it or sitting in it; "" for none, None for anywhere)."""
        condition = Q()
        for field, value in (codes or {}).items():
            if value:
                condition |= Q(**{f"{field}__startswith" if field == "local_gov_code" else field: value})
        named = Q()
        for name in filter(None, (name.strip() for name in names)):
            named |= Q(name__iexact=name) | Q(name_ja=name) | Q(aliases__iexact=name)
            named |= Q(aliases__istartswith=f"{name}\n") | Q(aliases__iendswith=f"\n{name}")
            named |= Q(aliases__icontains=f"\n{name}\n")
        if named and region_code is not None:
            named &= in_regions([region_code]) if region_code else Q(parent__isnull=True)
        return self.filter(condition | named) if condition or named else self.none()

    def similar_to(self, name, parent=None, codes=None):
        """Partners an editor may be about to add again (`same_as`: same code, or same name in the same region)."""
        region = parent.iso_code if parent else ""
        return list(self.same_as([name], region, codes).select_related("parent")[:10])

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
        """Each partner's number of relationships, as two counting sub-queries on the relationships'
        foreign-key indexes (no GROUP BY over the whole relationship table)."""

        def counted(side):
            mine = Relationship.objects.filter(**{f"{side}_partner": OuterRef("pk")}).order_by()
            return Coalesce(Subquery(mine.values(f"{side}_partner").annotate(n=Count("pk")).values("n")), 0)

        return self.annotate(relationship_count=counted("us") + counted("jp")).order_by(*self.model._meta.ordering)


class PartnerKind(models.TextChoices):
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
    GOVERNMENT_OFFICE = "government_office", _("government office abroad")
    BUSINESS_ORGANIZATION = "business_organization", _("business organization")
    NONPROFIT = "nonprofit", _("nonprofit")
    OTHER = "other", _("other")


# A partner of these kinds is in the United States, or in Japan: the model's constraints, its
# clean() and the forms use these lists.
US_ONLY_KINDS = [PartnerKind.US_STATE, PartnerKind.US_TERRITORY, PartnerKind.US_COUNTY, PartnerKind.US_CITY]
JP_ONLY_KINDS = [PartnerKind.JP_PREFECTURE, PartnerKind.JP_MUNICIPALITY]


class Partner(Versioned, CleanTextModel):
    Kind = PartnerKind

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
    US_ONLY_KINDS = US_ONLY_KINDS
    JP_ONLY_KINDS = JP_ONLY_KINDS
    # The wider network of the policy paper: Japan-America Societies and America-Japan Societies,
    # US states' offices in Japan and Japanese prefectures' and cities' offices in the US.
    NETWORK_KINDS = [Kind.SOCIETY, Kind.GOVERNMENT_OFFICE]

    name = models.CharField(_("name"), max_length=200)
    name_ja = models.CharField(_("Japanese name"), max_length=200, blank=True)
    name_ja_transcribed = models.BooleanField(
        _("Japanese name transcribed by the directory"),
        default=False,
        help_text=_("No public page was found that writes this name in Japanese; the directory transcribed it."),
    )
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
    locality = models.CharField(
        _("city"), max_length=120, blank=True, help_text=_("For an organisation or office: the city it is based in.")
    )
    represents = models.ForeignKey(
        "self",
        verbose_name=_("represents"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        help_text=_("For a government office abroad: the state, prefecture or city it works for."),
    )
    founded = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False, help_text=_("Closed or dissolved; kept for the record."))
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_("Former and alternative names, one per line (e.g. a town's name before a merger)."),
    )
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="partners")
    # Folded names for search (see partnerships/rules/search.py); derived in save().
    search_text = models.TextField(editable=False, blank=True, default="")
    # How a Japanese reader files it (rules/names.reading); derived in save(), for Japanese pages' order.
    reading = models.CharField(_("reading, for Japanese order"), max_length=200, blank=True, default="", editable=False)

    objects = SlugManager.from_queryset(PartnerQuerySet)()
    history = HistoricalRecords(excluded_fields=["search_text", "reading"], bases=[RecordedChange])

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
                condition=~Q(kind__in=US_ONLY_KINDS) | Q(country=Country.US),
                name="partner_us_kinds_in_us",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=JP_ONLY_KINDS) | Q(country=Country.JP),
                name="partner_jp_kinds_in_japan",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "kind"], name="partner_country_kind"),
            models.Index(fields=["name_kana"], name="partner_name_kana"),
        ]

    def __str__(self):
        """The name in the reader's language, with its state or prefecture for a place: "Otsuchi,
        Iwate" / "大槌町（岩手県）" (the admin's selects, autocomplete and messages, the change log)."""
        name = local_name(self.name, self.name_ja)
        if self.parent_id and self.kind in (self.Kind.US_CITY, self.Kind.US_COUNTY, self.Kind.JP_MUNICIPALITY):
            region = local_name(self.parent.name, self.parent.name_ja)
            return f"{name}（{region}）" if page_language() == "ja" else f"{name}, {region}"
        return name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        self.reading = names.reading(self.name, self.name_ja, self.name_kana)
        super().save(*args, **kwargs)
        if self.kind in self.REGION_KINDS:
            # The places inside a state or prefecture are found by its names too.
            self.children.all().refresh_search_text()
        # Its relationships (and its places') carry its region code.
        mine = Q(us_partner=self) | Q(jp_partner=self) | Q(us_partner__parent=self) | Q(jp_partner__parent=self)
        Relationship.objects.filter(pk__in=Relationship.objects.filter(mine).values("pk")).refresh_derived()

    def get_absolute_url(self):
        return languages.record_url("partnerships:partner-detail", "slug", self.slug)

    def new_slug(self):
        """The slug for this partner, not yet saved (`rules.slugs`: "kobe-hyogo", "seattle-wa"),
        unlike any partner's; the bundled records keep the slugs they have."""
        parent = self.parent if self.parent_id else None
        base = slugs.partner_slug(self.name, parent.iso_code if parent else "", parent.name if parent else "")
        return slugs.unique_slug(base, lambda slug: Partner.objects.filter(slug=slug).exists(), self.local_gov_code)

    def build_search_text(self, parent=None):
        """The folded names searched (see partnerships/rules/search.py); `parent` stands in for a state or
        prefecture not saved yet (the bulk loader)."""
        names = [self.name, self.name_ja, self.name_kana, *self.alias_list, self.iso_code, self.local_gov_code]
        if self.kind == self.Kind.JP_PREFECTURE:
            names.append(f"{self.name} Prefecture")
        elif self.kind in (self.Kind.US_STATE, self.Kind.US_TERRITORY):
            names += [f"{self.name} State", f"State of {self.name}"]
        elif self.kind == self.Kind.JP_MUNICIPALITY and self.name_ja.endswith("市"):
            names.append(f"{self.name} City")
        own = search.search_text(*names)
        parent = parent or (self.parent if self.parent_id else None)
        if parent:
            # After a different delimiter, so that a city never ranks as an exact match for its prefecture.
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


def region_of(path="", field="iso_code"):
    """An expression: `field` of the state or prefecture that the partner at `path` is, or sits in
    (`region_of("us_partner__", "name")` is a relationship's US state by name)."""
    return Case(
        When(**{f"{path}kind__in": Partner.REGION_KINDS}, then=F(f"{path}{field}")),
        default=F(f"{path}parent__{field}"),
    )


def in_regions(codes, path=""):
    """A condition: the partner at `path` is one of the states/prefectures with these ISO 3166-2
    codes (`US-WA`, `JP-28`), or sits inside one. The same rule as `region_of` (only states,
    territories and prefectures carry an ISO code), written as a filter that indexes can serve."""
    codes = list(codes)
    return Q(**{f"{path}iso_code__in": codes}) | Q(**{f"{path}parent__iso_code__in": codes})


def corroborating(text):
    """A label about corroboration, `text` (translated, with `%(count)s`), naming the number of
    sources that corroborate (`evidence.CORROBORATING_SOURCES`) as the reader's language writes it
    ("two", "2"): changing the rule changes every label. Worked out when shown."""
    return lazy(lambda: text % {"count": apnumber(evidence.CORROBORATING_SOURCES)}, str)()


def decade_of(field):
    """The decade of a date field (1957 -> 1950), as an integer on both databases (PostgreSQL's
    EXTRACT gives a numeric): the one definition of a decade, for the relationships' `decade`
    column (`refresh_derived`), the decade filters and facets (NULL for an undated record)."""
    return Cast(ExtractYear(field), models.IntegerField()) / 10 * 10


class Status(models.TextChoices):
    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    UNKNOWN = "unknown", _("unknown")


class RelationshipQuerySet(models.QuerySet):
    def search(self, q):
        """Relationships where every word names either side (or is in the notes), from an index on
        each database (partnerships/sql/fulltext.py) over the names kept on the relationship."""
        condition = fulltext.condition(search.query_words(q))
        # The rank (either side's exact name, a name starting with the query, other): the same rule as partners'.
        rank = search.rank(q, ["search_text"])
        return (
            self.filter(condition)
            .annotate(search_rank=rank)
            .order_by("search_rank", *self.query.order_by or self.model._meta.ordering)
        )

    def refresh_derived(self):
        """Recompute the derived columns (`Relationship.derived_columns`) of these relationships: one
        UPDATE, with subqueries, whatever their number (a save, the loader, a partner's move, the
        sources' signal)."""
        return self.update(**self.model.derived_columns())

    def corroborated(self, yes=True):
        """Relationships that are (or, with `yes=False`, are not) corroborated."""
        return self.alias(corroborated=self.model.corroborated_expression()).filter(corroborated=yes)

    def refresh_verification(self):
        """Set each relationship's verification state from its checks (`evidence.verification_state`),
        e.g. after a check is added in the admin; loaddata and the data build set it themselves."""
        for relationship in self.prefetch_related("checks"):
            state = evidence.verification_state([(c.verdict, c.page_kind) for c in relationship.checks.all()])
            if state != relationship.verification:
                self.model.objects.filter(pk=relationship.pk).update(verification=state)

    def count_by_region(self, side):
        """How many links each state (side="us_partner") or prefecture ("jp_partner") has,
        counting its own links and those of the places inside it; most first."""
        path = f"{side}__"
        return (
            self.annotate(
                region_slug=region_of(path, "slug"),
                region_name=region_of(path, "name"),
                region_name_ja=region_of(path, "name_ja"),
                region_code=region_of(path, "iso_code"),
            )
            .values("region_slug", "region_name", "region_name_ja", "region_code")
            .annotate(count=Count("id"))
            .order_by("-count", "region_name")
        )


class DateBasis(models.TextChoices):
    """What event a relationship's date marks, as the page that gives it says."""

    SIGNING = "signing", _("signing")
    RESOLUTION = "resolution", _("council resolution")
    RE_SIGNING = "re_signing", _("signed anew (after a merger)")
    STATED = "stated", _("date stated, event not said")


class Verification(Versioned, CleanTextModel):
    """One public page checked for one relationship: what it shows, in its own words."""

    class State(models.TextChoices):
        """A relationship's state from all its checks (the rule is `evidence.verification_state`)."""

        PRIMARY = evidence.State.PRIMARY, _("verified on a primary page")
        SECONDARY = evidence.State.SECONDARY, _("secondary sources only")
        DISPUTED = evidence.State.DISPUTED, _("disputed")
        UNVERIFIED = evidence.State.UNVERIFIED, _("not found on a public page")
        ENTERED = evidence.State.ENTERED, _("entered from its source, not yet checked")

    class Verdict(models.TextChoices):
        CONFIRMED = evidence.Verdict.CONFIRMED, _("confirms it")
        ENDED = evidence.Verdict.ENDED, _("says it has ended")
        WRONG_KIND = evidence.Verdict.WRONG_KIND, _("gives another kind")
        CONTRADICTED = evidence.Verdict.CONTRADICTED, _("contradicts it")
        NOT_FOUND = evidence.Verdict.NOT_FOUND, _("nothing found")

    class PageKind(models.TextChoices):
        MUNICIPAL = evidence.Page.MUNICIPAL, _("the municipality's own page")
        PREFECTURAL = evidence.Page.PREFECTURAL, _("the prefecture's page")
        CLAIR = evidence.Page.CLAIR, _("CLAIR")
        CONSULATE = evidence.Page.CONSULATE, _("a consulate or embassy of Japan")
        US_CITY = evidence.Page.US_CITY, _("the US side's own page")
        SECONDARY = evidence.Page.SECONDARY, _("a secondary page")

    relationship = models.ForeignKey(
        "Relationship", verbose_name=_("relationship"), on_delete=models.CASCADE, related_name="checks"
    )
    source = models.ForeignKey(
        Source, verbose_name=_("page"), on_delete=models.PROTECT, null=True, blank=True, related_name="checks"
    )
    verdict = models.CharField(_("what it shows"), max_length=12, choices=Verdict)
    page_kind = models.CharField(_("kind of page"), max_length=12, choices=PageKind, blank=True)
    quote = models.TextField(_("the words on the page"), blank=True)
    kind_on_page = models.CharField(_("kind, in the page's words"), max_length=100, blank=True)
    date = models.DateField(_("date the page gives"), null=True, blank=True)
    date_precision = models.CharField(_("precision of the date"), max_length=5, choices=DatePrecision, blank=True)
    date_basis = models.CharField(_("what the date is"), max_length=12, choices=DateBasis, blank=True)
    checked = models.DateField(_("checked on"))
    note = models.TextField(_("note"), blank=True)
    note_ja = models.TextField(_("note in Japanese"), blank=True)

    class Meta:
        ordering = ["relationship", "id"]
        verbose_name = _("check against a public page")
        verbose_name_plural = _("checks against public pages")
        constraints = [precision_constraint("date", "verification_date_precision")]

    def __str__(self):
        return f"{self.get_verdict_display()}: {self.source or '—'}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Relationship.objects.filter(pk=self.relationship_id).refresh_verification()

    def delete(self, *args, **kwargs):
        relationship_id = self.relationship_id
        result = super().delete(*args, **kwargs)
        Relationship.objects.filter(pk=relationship_id).refresh_verification()
        return result

    @property
    def is_primary(self):
        return self.page_kind in evidence.PRIMARY_PAGES


class Relationship(Versioned, CleanTextModel):
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
    established_basis = models.CharField(
        _("what the date is"),
        max_length=12,
        choices=DateBasis,
        blank=True,
        help_text=_("The event the date marks, as the page that gives it says: signing, a council resolution…"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    verification = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.State,
        default=Verification.State.ENTERED,
        editable=False,
        help_text=_("What the pages checked show; follows the relationship's checks."),
    )
    clair_id = models.PositiveIntegerField(
        _("CLAIR pair number"),
        null=True,
        blank=True,
        help_text=_("The number of this pair's page in CLAIR's register of sister (friendship) ties."),
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_ja = models.TextField(_("notes in Japanese"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="relationships")
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), related_name="relationships")
    # Derived facts that every list, filter and facet would otherwise recompute for each row, kept
    # right on every write (save(), the sources' m2m signal, a partner's save, the loader: see
    # `RelationshipQuerySet.refresh_derived`): the number of sources, the ISO 3166-2 codes of both
    # sides' state and prefecture (as `region_of` defines them), and the decade established.
    source_count = models.PositiveSmallIntegerField(_("number of sources"), default=0, editable=False)
    us_name = models.CharField(_("US partner's name"), max_length=200, blank=True, editable=False)
    jp_name = models.CharField(_("Japanese partner's name"), max_length=200, blank=True, editable=False)
    # Both sides' readings (Partner.reading), for the order of Japanese pages.
    us_reading = models.CharField(_("US partner's reading"), max_length=200, blank=True, editable=False)
    jp_reading = models.CharField(_("Japanese partner's reading"), max_length=200, blank=True, editable=False)
    us_region = models.CharField(_("US state (ISO code)"), max_length=6, blank=True, editable=False)
    jp_region = models.CharField(_("prefecture (ISO code)"), max_length=6, blank=True, editable=False)
    decade = models.PositiveSmallIntegerField(_("decade established"), null=True, blank=True, editable=False)
    # Both sides' folded names (their `search_text`), which a search matches: partnerships/sql/fulltext.py.
    search_text = models.TextField(_("names searched"), blank=True, default="", editable=False)

    DERIVED = [
        "source_count",
        "us_name",
        "jp_name",
        "us_reading",
        "jp_reading",
        "us_region",
        "jp_region",
        "decade",
        "search_text",
    ]

    objects = RelationshipQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=DERIVED, bases=[RecordedChange])

    class Meta:
        # The partners' names, kept on the row (`us_name`, `jp_name`) so that the index serves the order.
        ordering = ["us_name", "jp_name", "id"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(fields=["us_partner", "jp_partner", "kind"], name="relationship_unique_pair_kind"),
            models.CheckConstraint(condition=~Q(us_partner=models.F("jp_partner")), name="relationship_not_self"),
            precision_constraint("established", "relationship_established_precision"),
        ]
        indexes = [
            models.Index(fields=["established"], name="relationship_established"),
            models.Index(fields=["verification"], name="relationship_verification"),
            models.Index(fields=["us_region"], name="relationship_us_region"),
            models.Index(fields=["jp_region"], name="relationship_jp_region"),
            models.Index(fields=["decade"], name="relationship_decade"),
            models.Index(fields=["source_count"], name="relationship_source_count"),
            models.Index(fields=["us_name", "jp_name", "id"], name="relationship_by_us_name"),
            models.Index(fields=["jp_name", "us_name", "id"], name="relationship_by_jp_name"),
            models.Index(fields=["us_reading", "jp_reading", "id"], name="relationship_by_us_reading"),
            models.Index(fields=["jp_reading", "us_reading", "id"], name="relationship_by_jp_reading"),
        ]

    def __str__(self):
        return f"{self.us_partner.name} – {self.jp_partner.name} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The derived columns as every other write sets them (`derived_columns`), read back.
        type(self).objects.filter(pk=self.pk).refresh_derived()
        self.refresh_from_db(fields=self.DERIVED)

    @classmethod
    def derived_columns(cls):
        """{column: expression}: the one definition of each derived column (`DERIVED`), which
        `RelationshipQuerySet.refresh_derived` writes for a save and for every bulk write alike."""

        def partner(side, field):
            value = Partner.objects.filter(pk=OuterRef(f"{side}_partner_id")).annotate(value=field).values("value")
            return Coalesce(Subquery(value[:1]), Value(""), output_field=Partner._meta.get_field("search_text"))

        def name(side, field="name"):
            return partner(side, F(field))

        return {
            "source_count": cls.source_count_expression(),
            "us_name": name("us"),
            "jp_name": name("jp"),
            "us_reading": name("us", "reading"),
            "jp_reading": name("jp", "reading"),
            "us_region": partner("us", region_of()),
            "jp_region": partner("jp", region_of()),
            "decade": decade_of("established"),
            "search_text": Concat(name("us", "search_text"), name("jp", "search_text")),
        }

    def get_absolute_url(self):
        return languages.record_url("partnerships:relationship-detail", "pk", self.pk)

    @property
    def clair_url(self):
        """This pair's page in CLAIR's register, where it has one."""
        return f"https://www.clair.or.jp/j/exchange/shimai/data/detail/{self.clair_id}" if self.clair_id else ""

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

    @classmethod
    def corroborated_expression(cls):
        """True where the relationship is corroborated (see `partnerships.rules.evidence`), for filters and facets."""
        return GreaterThanOrEqual(F("source_count"), evidence.CORROBORATING_SOURCES)

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
        return evidence.is_corroborated(self.source_count)


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


class Agreement(Versioned, CleanTextModel):
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
    summary_ja = models.TextField(_("summary in Japanese"), blank=True)
    japanese_to_check = models.TextField(
        _("Japanese terms to check"),
        blank=True,
        help_text=_("Names or terms in the Japanese text that a reviewer should confirm, one per line."),
    )
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
    history = HistoricalRecords(bases=[RecordedChange])

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
        return languages.record_url("partnerships:agreement-detail", "slug", self.slug)

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


class Program(Versioned, CleanTextModel):
    """A joint initiative, such as the Hawaii–Okinawa Clean Energy Partnership."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        UNKNOWN = "unknown", _("unknown")

    name = models.CharField(_("name"), max_length=300)
    name_ja = models.CharField(_("Japanese name"), max_length=300, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_ja = models.TextField(_("summary in Japanese"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ja = models.TextField(_("description in Japanese"), blank=True)
    japanese_to_check = models.TextField(
        _("Japanese terms to check"),
        blank=True,
        help_text=_("Names or terms in the Japanese text that a reviewer should confirm, one per line."),
    )
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
    history = HistoricalRecords(bases=[RecordedChange])

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
        return languages.record_url("partnerships:program-detail", "slug", self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("A program cannot end before it starts.")})


class Participation(Versioned, CleanTextModel):
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


class PartnerSeekingQuerySet(models.QuerySet):
    def search(self, q):
        fields = ["countries", "places", "conditions", "description"]
        return self.filter(search.search_filter(q, fields, folded_fields=["partner__search_text"]))

    def wanting(self, *wants):
        """Places that name any of these (`PartnerSeeking.Wants`) among the partners they seek; a
        wish for North America or for English-speaking countries includes the United States, so a
        US city looking for a partner finds those places too."""
        wanted = set(wants)
        if PartnerSeeking.Wants.US in wanted:
            wanted |= PartnerSeeking.INCLUDING_US
        condition = Q()
        for want in sorted(wanted):
            condition |= Q(wants__contains=f"|{want}|")
        return self.filter(condition)


class PartnerSeeking(Versioned, CleanTextModel):
    """A place looking for a partner abroad, as CLAIR's list of Japanese local governments seeking
    a sister relationship publishes it: the countries and places it wants, in its own words, the
    conditions it hopes for, its size as it states it, and the page that says so."""

    class Wants(models.TextChoices):
        US = "us", _("the United States")
        NORTH_AMERICA = "north_america", _("North America")
        ENGLISH = "english", _("English-speaking countries")
        ASIA = "asia", _("Asia")
        OCEANIA = "oceania", _("Oceania")
        EUROPE = "europe", _("Europe")
        OTHER = "other", _("other countries")

    # Wishes that a US partner answers besides "the United States" itself.
    INCLUDING_US = {Wants.NORTH_AMERICA, Wants.ENGLISH}

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="seeking")
    wants = models.CharField(
        _("seeks partners in"),
        max_length=200,
        help_text=_("Codes between bars, e.g. |us|asia| (the countries named, in the list's words, are below)."),
    )
    countries = models.CharField(_("countries and regions, in its words"), max_length=300)
    places = models.CharField(_("places it names, in its words"), max_length=300, blank=True)
    conditions = models.TextField(_("what it hopes for, in its words"), blank=True)
    description = models.TextField(_("how it describes itself"), blank=True)
    population = models.PositiveIntegerField(_("population, as stated"), null=True, blank=True)
    area_km2 = models.FloatField(_("area in km², as stated"), null=True, blank=True)
    as_of = models.DateField(_("figures as of"), null=True, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="seeking")
    checked = models.DateField(_("listed on the page on"))

    objects = PartnerSeekingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner__parent__iso_code", "partner__name", "id"]
        verbose_name = _("place seeking a partner")
        verbose_name_plural = _("places seeking a partner")

    def __str__(self):
        return f"{self.partner} → {self.countries}"

    @property
    def wanted(self):
        """The labels of what it seeks, in the reader's language."""
        return [self.Wants(code).label for code in self.wants.strip("|").split("|") if code in self.Wants.values]


def count_sources(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed receiver for `Relationship.sources`: keep `source_count` right."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        Relationship.objects.filter(pk=instance.pk).refresh_derived()
    elif pk_set:
        Relationship.objects.filter(pk__in=pk_set).refresh_derived()
    else:  # a source's links cleared: which relationships lost it is no longer known
        Relationship.objects.filter(source_count__gt=0).refresh_derived()


# The pages that show one record: their URL names, the model and the key in the URL.
RECORD_PAGES = {
    "partner-detail": (Partner, "slug"),
    "relationship-detail": (Relationship, "pk"),
    "agreement-detail": (Agreement, "slug"),
    "program-detail": (Program, "slug"),
}


def record_at(path):
    """The record a page of the directory shows, from its address ("/ja/relationships/398/"); None
    for a page of no one record, or of a record since removed (a reader's report names its page)."""
    match = languages.resolved(path or "")
    if match is None or match.url_name not in RECORD_PAGES:
        return None
    model, key = RECORD_PAGES[match.url_name]
    return model.objects.filter(**{key: match.kwargs[key]}).first()


def record_names(record):
    """(English, Japanese) name of a record a page shows; a relationship is named by its two sides."""
    if isinstance(record, Relationship):
        us, jp = record.us_partner, record.jp_partner
        return f"{us.name} – {jp.name}", f"{us.name_ja or us.name} – {jp.name_ja or jp.name}"
    if isinstance(record, Agreement):
        return record.title, record.title_ja
    return record.name, record.name_ja
