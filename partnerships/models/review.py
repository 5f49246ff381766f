"""The review queue: additions and changes that wait for a reviewer before they are published.

The directory's tables hold only published records. An editor's addition or change is kept
as a `ChangeRequest` until a reviewer approves it; approving applies it to the published
record (recording who proposed it and why in the record's history). So the public pages,
search, facets and exports can never show a draft, and a proposal's new sources are created
only when it is published. `partnerships.staff.review` decides who publishes and who proposes.
"""

import copy
import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models.records import Partner, Relationship, Source, Verification
from partnerships.models.version import DataVersion
from partnerships.models.versioned import StaleVersion
from partnerships.rules.text import CleanTextModel


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


def sources_for(new_sources):
    """The Source records for [{"url", "title"}]: an existing one with the same address, or a new one."""
    sources = []
    for item in new_sources:
        source = Source.objects.filter(url=item["url"]).first()
        if source is None:
            source = Source.objects.create(
                slug=f"page-{uuid.uuid4().hex[:12]}",
                title=(item.get("title") or item["url"])[:300],
                url=item["url"],
                kind=Source.Kind.WEB_PAGE,
            )
        sources.append(source)
    return sources


def partners_for(new_partners, author, reason):
    """Create the partners a change brings with it ([{field, name, name_ja, kind, country,
    parent, local_gov_code}]), each validated and in its history; {field: partner}."""
    created = {}
    for item in new_partners:
        fields = {key: value for key, value in item.items() if key != "field"}
        parent_id = fields.pop("parent", None)
        partner = Partner(parent_id=parent_id, **fields)
        partner.slug = partner.new_slug()
        partner.full_clean()
        partner._history_user = author
        partner._change_reason = reason
        partner.save()
        created[item["field"]] = partner
    return created


def publish(instance, fields, many, author, reason, new_sources=(), new_partners=(), based_on=None):
    """Write a change to the published record: the partners and sources it brings with it, its
    fields and its many-to-many values, with `author` and the whole `reason` in the history.

    With `based_on` (the version the change started from), the record's UPDATE matches only that
    version (models/versioned.py): when the record has moved on, `StaleVersion` is raised and the
    transaction, history included, is rolled back."""
    with transaction.atomic():
        DataVersion.lock()
        for name, partner in partners_for(new_partners, author, reason).items():
            setattr(instance, name, partner)
        for name, value in fields.items():
            setattr(instance, name, value)
        instance._history_user = author
        instance._change_reason = reason
        if based_on is not None and instance.pk is not None and not instance._state.adding:
            instance._expected_version = int(based_on)
        instance.save()
        for name, ids in many.items():
            getattr(instance, name).set(ids)
        if new_sources:
            sources = sources_for(new_sources)
            instance.sources.add(*sources)
            if isinstance(instance, Relationship):
                checked_by_entry(instance, new_sources, sources, author)
    return instance


def checked_by_entry(link, new_sources, sources, author):  # noqa: ARG001 - who is kept in the history, not shown
    """The page an editor entered a relationship from, as a check of it: "confirms it", on the kind
    of page the editor said it is (the partner's own page counts as primary), today."""
    for item, source in zip(new_sources, sources, strict=True):
        if item.get("page_kind"):
            Verification.objects.create(
                relationship=link,
                source=source,
                verdict=Verification.Verdict.CONFIRMED,
                page_kind=item["page_kind"],
                checked=timezone.localdate(),
                note="Entered from this page by the directory's staff.",
                note_ja="ディレクトリの担当者がこのページから入力。",
            )


class ChangeRequest(CleanTextModel):
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
    base_version = models.PositiveIntegerField(
        _("version proposed from"), null=True, blank=True, help_text=_("The record's version the change started from.")
    )
    new_sources = models.JSONField(
        _("new sources"),
        default=list,
        blank=True,
        help_text=_("Sources the directory does not have yet ([{url, title}]); created when the change is published."),
    )
    new_partners = models.JSONField(
        _("new partners"),
        default=list,
        blank=True,
        help_text=_(
            "Partners the directory does not have yet ([{field, name, kind, parent…}]); created when published."
        ),
    )
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
    @transaction.atomic
    def propose(cls, instance, values, author, reason, new_sources=(), import_batch="", new_partners=(), based_on=None):
        """Keep `values` ({field name: value} from a valid form) as a proposal for `instance`.

        `based_on` is the version of the record the form was filled in from: a proposal made from an
        older version is refused (`StaleVersion`), as a reviewer's save would be, rather than filed
        with values that would revert the newer change once published. The record is locked while
        its version is compared and its current values kept as the proposal's `base`."""
        model = type(instance)
        proposed = {name: serialize_value(model._meta.get_field(name), value) for name, value in values.items()}
        creating = instance.pk is None or instance._state.adding
        current = model.objects.select_for_update().filter(pk=instance.pk).first() if not creating else None
        if current is not None and based_on is not None and current.version != int(based_on):
            raise StaleVersion(instance, int(based_on))
        shown = copy.copy(instance)  # the record as it would read once published
        for name, value in values.items():
            if not model._meta.get_field(name).many_to_many and value is not None:
                setattr(shown, name, value)
        for item in new_partners:
            setattr(shown, item["field"], Partner(name=item["name"], kind=item["kind"], country=item["country"]))
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=None if creating else instance.pk,
            object_repr=str(shown)[:300],
            action=cls.Action.CREATE if creating else cls.Action.UPDATE,
            proposed=proposed,
            base=snapshot(current, proposed) if current else {},
            base_version=current.version if current else None,
            new_sources=list(new_sources),
            new_partners=list(new_partners),
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

    def moved_on(self, current=None):
        """The fields this change sets that the published record has changed in since it was proposed."""
        current = current if current is not None else self.target()
        if current is None or not self.base:
            return []
        now = snapshot(current, self.proposed)
        return [
            name for name, value in self.proposed.items() if self.base.get(name) != now[name] and now[name] != value
        ]

    def own_changes(self):
        """{field: value} this proposal changed: the proposed values that differ from the published
        ones it was made from (all of them for an addition, or a proposal kept without them)."""
        if not self.base:
            return dict(self.proposed)
        return {name: value for name, value in self.proposed.items() if self.base.get(name) != value}

    def resubmission(self, current=None):
        """What a resubmission of this (rejected) proposal changes on the record as it is now:
        [{field, current, proposed, then, conflict}], `conflict` where someone else has changed the
        field since it was proposed (`then` is the value it was proposed over)."""
        current = current if current is not None else self.target()
        mine = self.own_changes()
        now = snapshot(current, mine) if current is not None else {}
        rows = []
        for name, value in mine.items():
            field = self.model._meta.get_field(name)
            if current is not None and now[name] == value:
                continue
            conflict = current is not None and bool(self.base) and self.base.get(name) != now[name]
            rows.append(
                {
                    "field": field.verbose_name,
                    "current": self._display(field, now.get(name)),
                    "proposed": self._display(field, value),
                    "then": self._display(field, self.base.get(name)) if conflict else "",
                    "conflict": conflict,
                }
            )
        return rows

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
        for item in self.new_partners:
            where = Partner.objects.filter(pk=item.get("parent")).first()
            rows.append(
                {
                    "field": self.model._meta.get_field(item["field"]).verbose_name,
                    "published": "",
                    "proposed": f"{item['name']} ({where or item['country']}) — " + str(_("new partner")),
                    "moved_on": False,
                }
            )
        for item in self.new_sources:  # each with its title, so the reviewer knows what to open
            title = item.get("title") or _("(no title given)")
            rows.append(
                {"field": _("new source"), "published": "", "proposed": f"{title} — {item['url']}", "moved_on": False}
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

    def build(self, instance=None):
        """The record as it would be published, validated: (instance, fields, many-to-many values)."""
        model = self.model
        if instance is None:
            instance = self.target() if self.action == self.Action.UPDATE else model()
        if instance is None:
            raise ValidationError(_("The record this change was made to no longer exists."))
        fields, many = {}, {}
        for name, value in self.proposed.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                many[name] = value
            elif field.is_relation:
                fields[field.attname] = value
            else:
                fields[name] = field.to_python(value)
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.full_clean(exclude=list(many))
        return instance, fields, many

    def approve(self, reviewer, note=""):
        """Publish: apply the change to the directory, with its author and reason in the history.

        Race-free and idempotent: the proposal is claimed with a conditional update, so two
        reviewers (or one reviewer's double click) apply it once; the second is told it was
        already reviewed. A change to fields that the published record has changed in since
        it was proposed is refused, so that nobody's edit is silently reverted. The record is
        read locked, and written only at the version that check read (models/versioned.py): an
        edit published in between refuses the approval instead of being overwritten."""
        with transaction.atomic():
            DataVersion.lock()
            claimed = ChangeRequest.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
                status=self.Status.APPROVED, reviewer=reviewer, reviewed=timezone.now(), review_note=note
            )
            if not claimed:
                self.refresh_from_db()
                raise ValidationError(_("This change has already been reviewed."))
            current = None
            if self.action == self.Action.UPDATE:
                current = self.model.objects.select_for_update().filter(pk=self.object_id).first()
                if current is None:
                    raise ValidationError(_("The record this change was made to no longer exists."))
            moved = self.moved_on(current)
            if moved:
                raise self.moved_on_error(moved)
            reason = self.reason  # who approved it is on this request, not in the public log
            for name, partner in partners_for(self.new_partners, self.author, reason).items():
                self.proposed[name] = partner.pk
            instance, fields, many = self.build(current)
            try:
                publish(
                    instance,
                    {},
                    many,
                    self.author,
                    reason,
                    self.new_sources,
                    based_on=getattr(current, "version", None),
                )
            except StaleVersion:
                raise self.moved_on_error(self.moved_on() or list(self.proposed)) from None
            ChangeRequest.objects.filter(pk=self.pk).update(object_id=instance.pk, object_repr=str(instance)[:300])
        self.refresh_from_db()
        return instance

    def moved_on_error(self, moved):
        names = ", ".join(str(self.model._meta.get_field(name).verbose_name) for name in moved)
        return ValidationError(
            _(
                "The published record has changed since this was proposed (%(fields)s). "
                "Reject it with a note so that its author can propose it again from the current record."
            )
            % {"fields": names}
        )

    def reject(self, reviewer, note):
        if not note.strip():
            raise ValidationError(_("Say why the change is rejected, so that its author can put it right."))
        claimed = ChangeRequest.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.REJECTED, reviewer=reviewer, reviewed=timezone.now(), review_note=note
        )
        if not claimed:
            raise ValidationError(_("This change has already been reviewed."))
        self.refresh_from_db()


class Submission(models.Model):
    """A form or an import confirmation that has been sent once: its token, written in the same
    transaction as what it submits, so that a double click or a replayed confirmation is refused
    instead of filing the same change twice."""

    token = models.UUIDField(_("token"), unique=True)
    created = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return str(self.token)

    @classmethod
    def claim(cls, token):
        """Record `token`; False when it was recorded already (the same submission came again)."""
        try:
            with transaction.atomic():
                cls.objects.create(token=token)
        except IntegrityError:
            return False
        return True


class Report(CleanTextModel):
    """A reader's report of an error or a missing tie, from the public form (/report/). It waits
    in the reviewers' queue and is never shown publicly: a reviewer checks it against its source
    and, if it holds, makes the change through the usual review."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACTED_ON = "acted_on", _("acted on")
        DISMISSED = "dismissed", _("dismissed")

    about = models.CharField(
        _("page reported"), max_length=300, blank=True, help_text=_("The directory page the reader was on.")
    )
    what = models.TextField(_("what is wrong or missing"), max_length=2000)
    source_url = models.URLField(_("page that shows it"), max_length=500, blank=True)
    email = models.EmailField(_("reader's e-mail"), blank=True)
    received = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    note = models.TextField(_("reviewer's note"), blank=True)

    class Meta:
        ordering = ["-received"]
        verbose_name = _("report from a reader")
        verbose_name_plural = _("reports from readers")
        indexes = [models.Index(fields=["status", "-received"], name="report_status_received")]

    def __str__(self):
        return f"{self.received:%Y-%m-%d} {self.about or '/'}: {self.what[:60]}"
