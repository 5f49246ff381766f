"""Where consulate officers (editors) and reviewers keep the directory up to date.

Editors' additions and changes are not saved to the published record: each becomes a
ChangeRequest that a reviewer publishes or rejects (see models.ChangeRequest). Reviewers'
own edits publish at once. Every published change is in the record's history, with who made
it and why.
"""

import functools
import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partnerships.html import messages as messages_html
from partnerships.models import (
    PUBLISHED_MODELS,
    Agreement,
    ChangeRequest,
    Country,
    DataVersion,
    Participation,
    Partner,
    PartnerSeeking,
    Program,
    Relationship,
    RelationshipEvent,
    Report,
    Source,
    Submission,
    Topic,
    Verification,
)
from partnerships.models.records import record_at
from partnerships.rules import text
from partnerships.staff import imports, review


def model_values(instance, cleaned_data):
    """The model fields of a form's cleaned data (not the reason, not formset bookkeeping)."""
    names = {field.name for field in instance._meta.get_fields() if field.concrete and field.editable}
    return {name: value for name, value in cleaned_data.items() if name in names and name != "id"}


REPEATED = _("This form was sent already (a double click?); its change has been saved once.")


def check_version(instance, based_on):
    """A change form for a record must say which version it starts from, and that version must still
    be the record's (the message names what changed since). A read, to tell the person early: the
    save itself is conditional on the version (review.submit)."""
    if based_on is None:
        raise review.no_version_error()
    stale = review.stale_error(instance, based_on)
    if stale is not None:
        raise stale


class ReasonForm(forms.ModelForm):
    """Every change says why: the reason goes to the review queue and the record's history.

    An editor's form writes nothing to the published record: `ReviewedAdmin` sets `proposing`,
    and the form's values, many-to-many ones included, travel in the proposal instead."""

    proposing = False

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the new information comes from, e.g. “City council resolution of 3 May 2024”."),
        validators=[functools.partial(text.check, multiline=True)],
    )

    # The version of the record this form was filled in from, and a token of this one submission:
    # saving over a newer version, or sending the same form twice, is refused (see clean() and
    # ReviewedAdmin.save_model, where the token is spent with the save).
    based_on = forms.IntegerField(label=_("Based on version"), widget=forms.HiddenInput, required=False)
    submission = forms.UUIDField(label=_("Submission"), widget=forms.HiddenInput, required=False)

    # Set by ReviewedAdmin when the save of this very form was refused (review.Refused): shown, and
    # nothing is saved on this round.
    refused = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].initial = functools.partial(review.version_of, self.instance)
        self.fields["submission"].initial = uuid.uuid4

    def clean(self):
        cleaned = super().clean()
        if self.refused is not None:
            raise self.refused
        token = cleaned.get("submission")
        if token and Submission.objects.filter(token=token).exists():
            raise ValidationError(REPEATED, code="repeated")
        if self.instance.pk is not None:
            check_version(self.instance, cleaned.get("based_on"))
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=commit and not self.proposing)
        # review.submit writes the many-to-many values (with any new records), for every role.
        self.save_m2m = lambda: None
        return instance

    def new_records(self):
        """Partners and sources this submission brings with it: ([{...}], [{"url", "title"}])."""
        return [], []


def resubmission_form(form_class, proposal):
    """The admin form for sending a rejected proposal again: the record as it is NOW, with the
    author's own changes (ChangeRequest.own_changes) applied on top and their reason, so that a
    change someone else has published since is kept rather than reverted (see render_change_form,
    which shows the changes as a diff). An addition starts from all its values."""

    class ResubmissionForm(form_class):
        def __init__(self, *args, **kwargs):
            own = proposal.own_changes()
            initial = {**own, "change_reason": proposal.reason, **(kwargs.pop("initial", None) or {})}
            super().__init__(*args, initial=initial, **kwargs)

    return ResubmissionForm


class ReviewedAdmin(SimpleHistoryAdmin):
    """An admin whose every save goes through `review.submit`: published for reviewers, a
    proposal awaiting review for editors (the record's inlines and its restores too).

    A save is one transaction: the submission token, the record, its inline rows and their history.
    When any of them is refused (`review.Refused`: the record or a row moved on since the form was
    filled in, or the form was sent already) the whole transaction is rolled back and the form is
    shown again with the refusal, naming what changed."""

    form = ReasonForm
    # A web address typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.fieldsets:
            return [*fieldsets, (_("Why"), {"fields": ["change_reason", "based_on", "submission"]})]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.proposing = not review.can_publish(request.user)
        form.refused = getattr(request, "refused", None)
        rejected = self.rejected_proposal(request, obj)
        if rejected is not None:
            form = resubmission_form(form, rejected)
        return form

    def saved_or_refused(self, view, request, *args):
        """Run a form view's POST in one transaction; when its save is refused, roll it all back and
        show the form again with the refusal (the form's clean() raises it: nothing is saved)."""
        if request.method != "POST":
            return view(request, *args)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                DataVersion.lock()  # before any record's row: see DataVersion.lock
                return view(request, *args)
        except review.Refused as refused:
            list(messages.get_messages(request))  # what the refused save had announced is void
            request.refused = refused
            return view(request, *args)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self.saved_or_refused(super().changeform_view, request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self.saved_or_refused(super().history_form_view, request, object_id, version_id, extra_context)

    def rejected_proposal(self, request, obj):
        """`?resubmit=<id>`: the author's own rejected proposal for this record (or this kind of
        record, for an addition), whose values the form starts from."""
        pk = request.GET.get("resubmit", "")
        if not pk.isdigit():
            return None
        found = ChangeRequest.objects.filter(
            pk=pk, author=request.user, status=ChangeRequest.Status.REJECTED, content_type__model=self.opts.model_name
        ).first()
        if found is None or found.object_id != (obj.pk if obj else None):
            return None
        return found

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["proposing"] = not review.can_publish(request.user)  # the buttons say "Send for review"
        rejected = self.rejected_proposal(request, obj)
        if rejected is not None and request.method == "GET":
            self.tell_resubmission(request, rejected, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def tell_resubmission(self, request, rejected, obj):
        """The rejected proposal's changes to the record as it is now (field: current → proposed),
        and a warning for each field someone else has changed since it was proposed."""
        rows = rejected.resubmission(obj)
        self.message_user(
            request,
            messages_html.with_changes(
                gettext(
                    "Your proposal, applied to the record as it is now: change what you need and send it again. "
                    "The reviewer's note: %(note)s"
                )
                % {"note": rejected.review_note},
                ((r["field"], r["current"], r["proposed"]) for r in rows),
            ),
            messages.WARNING,
        )
        for row in rows:
            if row["conflict"]:
                self.message_user(
                    request,
                    gettext(
                        "%(field)s has been changed by someone else since you proposed your change: it was "
                        "%(then)s, it is now %(current)s; the form holds yours, %(proposed)s. Keep the one that is "
                        "right."
                    )
                    % row,
                    messages.ERROR,
                )

    def save_model(self, request, obj, form, change):
        token = form.cleaned_data.get("submission")
        if token and not Submission.claim(token):
            raise review.Refused(REPEATED, code="repeated")  # the same form, saved meanwhile
        reason = form.cleaned_data.get("change_reason", "")
        partners, sources = form.new_records()
        values = model_values(obj, form.cleaned_data)
        for item in partners:
            values.pop(item["field"], None)
        based_on = form.cleaned_data.get("based_on") if change else None
        submitted = review.submit(
            obj, values, request.user, reason, new_sources=sources, new_partners=partners, based_on=based_on
        )
        form.submitted = [submitted] if submitted else []
        if form.proposing and submitted:
            self.tell_submitted(request, form.submitted)

    def save_related(self, request, form, formsets, change):
        """The inline rows, each through `review.submit` (a reviewer's too: reason, history and its
        own version check), or `review.delete`.

        Stale rows: a row whose values are those of the record now is not written at all, whatever
        version it carries; a row that would change a relationship someone has changed since the
        page was opened (or delete it) is REFUSED, and with it the whole save, naming the row and
        what changed (field: value then → value now, who, when). Nothing of the page is written, so
        the person opens it again and sees the newer values before deciding."""
        reason = form.cleaned_data.get("change_reason", "")
        submitted = []
        for formset in formsets:
            # What formset.save() would have noted, for the admin's log of the change.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.deleted_forms:
                row = inline_form.instance
                if row.pk is not None:
                    try:
                        review.delete(row, request.user, reason, inline_form.cleaned_data.get("based_on"))
                    except review.Refused as refused:
                        raise review.Refused(format_html("{}: {}", row, refused.message), code=refused.code) from None
                    formset.deleted_objects.append(row)
            for inline_form in formset.forms:
                if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                    continue
                instance = inline_form.instance
                values = model_values(instance, inline_form.cleaned_data)
                values[formset.fk.name] = form.instance
                based_on = inline_form.cleaned_data.get("based_on") if instance.pk is not None else None
                try:
                    result = review.submit(instance, values, request.user, reason, based_on=based_on)
                except review.Refused as refused:  # say which row
                    raise review.Refused(format_html("{}: {}", instance, refused.message), code=refused.code) from None
                submitted += [result] if result else []
                if result is not None and not form.proposing:
                    if based_on is None:
                        formset.new_objects.append(result)
                    else:
                        formset.changed_objects.append((result, inline_form.changed_data))
        if form.proposing and (submitted or not form.submitted):
            self.tell_submitted(request, submitted)

    def tell_submitted(self, request, submitted):
        """An editor's message: how many changes went to review, or that nothing changed."""
        if not submitted:
            self.message_user(request, gettext("Nothing was changed, so nothing was sent for review."), messages.INFO)
            return
        self.message_user(
            request,
            gettext(
                "Submitted for review: %(count)d change(s). They will appear publicly once a reviewer publishes them."
            )
            % {"count": len(submitted)},
            messages.SUCCESS,
        )

    def construct_change_message(self, request, form, formsets, add=False):
        # An editor's submission changed nothing yet: the queue, not the log, records it.
        return [] if form.proposing else super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        if review.can_publish(request.user):
            super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        if review.can_publish(request.user):
            super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if review.can_publish(request.user):
            return super().response_add(request, obj, post_url_continue)
        return HttpResponseRedirect(reverse("admin:partnerships_changerequest_changelist"))

    def response_change(self, request, obj):
        if review.can_publish(request.user):
            return super().response_change(request, obj)
        return HttpResponseRedirect(reverse("admin:partnerships_changerequest_changelist"))

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is None and not review.can_publish(request.user):
            # An addition waits for review; its related rows are added once it is published.
            return []
        return inlines


@admin.register(Source)
class SourceAdmin(ReviewedAdmin):
    list_display = ["title", "kind", "publisher", "licence", "date"]
    list_filter = ["kind", "licence"]
    search_fields = ["title", "publisher", "url", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(ReviewedAdmin):
    list_display = ["name", "name_ja", "slug"]
    search_fields = ["name", "name_ja", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class VersionedRowForm(forms.ModelForm):
    """An inline row (a relationship on a partner's page, a check, a participation) that carries its
    own version, as a change form does: a row changed or deleted over a newer version is refused,
    naming what changed (and its save is conditional on it: ReviewedAdmin.save_related)."""

    based_on = forms.IntegerField(label=_("Based on version"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].initial = self.instance.version if self.instance.pk is not None else None

    def has_changed(self):
        # The version is bookkeeping: a row whose values are as they are now is not saved.
        return any(name != "based_on" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and self.has_changed():
            check_version(self.instance, cleaned.get("based_on"))
        return cleaned


class ReviewedInline:
    """An inline whose rows go through `review.submit`, each with its version, and only a reviewer
    may delete (an editor's changes are proposals)."""

    form = VersionedRowForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "based_on" in fields else [*fields, "based_on"]

    def has_delete_permission(self, request, obj=None):
        return review.can_publish(request.user) and super().has_delete_permission(request, obj)


class RelationshipInline(ReviewedInline, admin.TabularInline):
    """A partner's relationships. A row added here is a relationship like any other: it cites a source."""

    model = Relationship
    fields = ["kind", "established", "established_precision", "status", "sources"]
    extra = 0


class USRelationshipInline(RelationshipInline):
    fk_name = "us_partner"
    fields = ["jp_partner", *RelationshipInline.fields]
    autocomplete_fields = ["jp_partner", "sources"]
    verbose_name = _("relationship with a Japanese partner")
    verbose_name_plural = _("relationships with Japanese partners")


class JPRelationshipInline(RelationshipInline):
    fk_name = "jp_partner"
    fields = ["us_partner", *RelationshipInline.fields]
    autocomplete_fields = ["us_partner", "sources"]
    verbose_name = _("relationship with a US partner")
    verbose_name_plural = _("relationships with US partners")


class PartnerForm(ReasonForm):
    confirm_new = forms.BooleanField(
        label=_("This is a different partner"),
        required=False,
        help_text=_("Tick after checking the similar partners listed above."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "slug" in self.fields:
            # A new partner's slug follows the one scheme (Partner.new_slug) unless the editor gives one.
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Leave empty for the usual one: the name and the state or prefecture, e.g. kobe-hyogo."
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("slug") and cleaned.get("name"):
            new = Partner(
                name=cleaned["name"], parent=cleaned.get("parent"), local_gov_code=cleaned.get("local_gov_code", "")
            )
            cleaned["slug"] = self.instance.slug = new.new_slug()
        if self.instance.pk is None and not cleaned.get("confirm_new"):
            similar = Partner.objects.similar_to(
                name=cleaned.get("name", ""),
                parent=cleaned.get("parent"),
                codes={
                    "iso_code": cleaned.get("iso_code"),
                    "local_gov_code": cleaned.get("local_gov_code"),
                    "fips_code": cleaned.get("fips_code"),
                },
            )
            if similar:
                links = messages_html.links(
                    (reverse("admin:partnerships_partner_change", args=[p.pk]), str(p)) for p in similar
                )
                raise ValidationError(
                    format_html(
                        "{} {}. {}",
                        gettext("This looks like a partner the directory already has:"),
                        links,
                        gettext("Edit that one instead, or tick “This is a different partner” to add a new one."),
                    )
                )
        return cleaned


@admin.register(Partner)
class PartnerAdmin(ReviewedAdmin):
    form = PartnerForm
    list_display = ["name", "name_ja", "kind", "country", "parent", "iso_code", "local_gov_code"]
    list_filter = ["country", "kind"]
    search_fields = ["name", "name_ja", "name_kana", "aliases", "slug", "iso_code", "local_gov_code", "fips_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "represents", "sources"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "name_ja", "name_kana", "slug", "kind", "country", "parent"]}),
        (_("Codes and location"), {"fields": ["iso_code", "local_gov_code", "fips_code", "latitude", "longitude"]}),
        (_("Societies and offices"), {"fields": ["locality", "represents", "founded", "closed"]}),
        (_("About"), {"fields": ["website", "description", "description_ja", "aliases", "sources"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            fieldsets = [
                *fieldsets[:-1],
                (_("Why"), {"fields": ["change_reason", "confirm_new", "based_on", "submission"]}),
            ]
        return fieldsets

    def get_prepopulated_fields(self, request, obj=None):
        # A new partner's slug is not its name alone: left empty, the form gives it Partner.new_slug().
        return {} if obj is None else super().get_prepopulated_fields(request, obj)

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [USRelationshipInline] if obj.country == "US" else [JPRelationshipInline]


class VerificationInline(ReviewedInline, admin.TabularInline):
    """The public pages checked for a relationship, with what each shows."""

    model = Verification
    fields = [
        "source",
        "page_kind",
        "verdict",
        "quote",
        "kind_on_page",
        "date",
        "date_precision",
        "date_basis",
        "checked",
    ]
    autocomplete_fields = ["source"]
    extra = 0


class EventInline(ReviewedInline, admin.TabularInline):
    """The relationship's history: each event as a page states it (the first signing dates it)."""

    model = RelationshipEvent
    fields = ["kind", "date", "date_precision", "kind_after", "predecessor", "predecessor_ja", "source", "page_kind"]
    autocomplete_fields = ["source"]
    extra = 0


def regions(country):
    return Partner.objects.filter(kind__in=Partner.REGION_KINDS, country=country).order_by("name")


class RelationshipForm(ReasonForm):
    """A relationship, and what the directory may not have yet: either partner and a source, typed
    here and created with the relationship when it is published (one proposal for an editor)."""

    new_us_name = forms.CharField(label=_("New US partner: name"), max_length=200, required=False)
    new_us_state = forms.ModelChoiceField(
        label=_("its state"), queryset=regions(Country.US), required=False, to_field_name="iso_code"
    )
    new_jp_name = forms.CharField(label=_("New Japanese partner: name in English"), max_length=200, required=False)
    new_jp_name_ja = forms.CharField(label=_("its name in Japanese"), max_length=200, required=False)
    new_jp_prefecture = forms.ModelChoiceField(
        label=_("its prefecture"), queryset=regions(Country.JP), required=False, to_field_name="iso_code"
    )
    new_source_url = forms.URLField(
        label=_("New source: address"), max_length=500, required=False, assume_scheme="https"
    )
    new_source_title = forms.CharField(label=_("its title"), max_length=300, required=False)
    new_source_kind = forms.ChoiceField(
        label=_("what page it is"),
        choices=[("", "—"), *Verification.PageKind.choices],
        required=False,
        help_text=_(
            "Whose page it is: a page of one of the partners, their prefecture, CLAIR or a consulate makes the "
            "relationship verified on a primary page once published."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("us_partner", "jp_partner", "sources"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for side, name, region, label in (
            (
                "us_partner",
                "new_us_name",
                "new_us_state",
                _("Choose the US partner, or name a new one with its state."),
            ),
            (
                "jp_partner",
                "new_jp_name",
                "new_jp_prefecture",
                _("Choose the Japanese partner, or name a new one with its prefecture."),
            ),
        ):
            if not cleaned.get(side) and not (cleaned.get(name) and cleaned.get(region)):
                self.add_error(side, label)
        for name in ("new_us_name", "new_jp_name", "new_jp_name_ja", "new_source_title"):
            try:
                text.check(cleaned.get(name, ""))
            except ValidationError as error:
                self.add_error(name, error)
        if not cleaned.get("sources") and not cleaned.get("new_source_url"):
            self.add_error("sources", _("Choose a source, or give the address of a new one."))
        return cleaned

    def _get_validation_exclusions(self):
        # A partner typed as new is not a record yet: the model checks the pair once it exists.
        exclusions = set(super()._get_validation_exclusions())
        return exclusions | {side for side in ("us_partner", "jp_partner") if not self.cleaned_data.get(side)}

    def new_records(self):
        cleaned = self.cleaned_data
        partners = []
        if not cleaned.get("us_partner") and cleaned.get("new_us_name"):
            us = {"name": cleaned["new_us_name"].strip(), "kind": Partner.Kind.US_CITY, "country": Country.US}
            partners.append({"field": "us_partner", **us, "parent": cleaned["new_us_state"].pk})
        if not cleaned.get("jp_partner") and cleaned.get("new_jp_name"):
            jp = {"name": cleaned["new_jp_name"].strip(), "name_ja": cleaned["new_jp_name_ja"].strip()}
            jp |= {"kind": Partner.Kind.JP_MUNICIPALITY, "country": Country.JP}
            partners.append({"field": "jp_partner", **jp, "parent": cleaned["new_jp_prefecture"].pk})
        sources = []
        if cleaned.get("new_source_url"):
            sources.append(
                {
                    "url": cleaned["new_source_url"],
                    "title": cleaned.get("new_source_title") or cleaned["new_source_url"],
                    "page_kind": cleaned.get("new_source_kind", ""),
                }
            )
        return partners, sources


@admin.register(Relationship)
class RelationshipAdmin(ReviewedAdmin):
    form = RelationshipForm
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "us_partner", "jp_partner", "kind", "status", "established", "established_precision",
                    "established_basis", "clair_id", "notes", "notes_ja", "topics", "sources",
                ]
            },
        ),
        (
            _("A partner or a source the directory does not have yet"),
            {"fields": ["new_us_name", "new_us_state", "new_jp_name", "new_jp_name_ja", "new_jp_prefecture",
                        "new_source_url", "new_source_title", "new_source_kind"]},
        ),
    ]  # fmt: skip
    list_display = ["__str__", "kind", "established", "status", "verification"]
    list_filter = ["kind", "status", "verification", "established_precision", "established_basis"]
    inlines = [EventInline, VerificationInline]
    search_fields = ["us_partner__name", "jp_partner__name", "jp_partner__name_ja", "notes"]
    list_select_related = ["us_partner", "jp_partner"]
    autocomplete_fields = ["us_partner", "jp_partner", "sources", "topics"]
    date_hierarchy = "established"
    change_list_template = "admin/partnerships/relationship/change_list.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("us_partner", "jp_partner", "sources") and not review.can_publish(request.user):
            # An editor's new partner or source goes in the fields below, with the relationship, in one
            # proposal: the "+" pop-up would file it apart and never hand it back to this form.
            formfield.widget.can_add_related = False
        return formfield

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="partnerships_relationship_import"),
            path(
                "import/template.csv",
                self.admin_site.admin_view(self.import_template_view),
                name="partnerships_relationship_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="relationships-import-template.csv"'
        return response

    def import_view(self, request):
        """Upload, preview every row, then apply all of it in one transaction, or nothing."""
        if not request.user.has_perm("partnerships.import_records"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import relationships"),
        }
        if request.method == "POST" and "confirm" in request.POST:
            form = imports.ConfirmForm(request.POST)
            if form.is_valid():
                preview = imports.preview(form.cleaned_data["rows"])
                if preview.has_errors:
                    context.update(form=imports.UploadForm(), preview=preview, confirm_form=None)
                    return TemplateResponse(request, "admin/partnerships/relationship/import.html", context)
                try:
                    with transaction.atomic():
                        result = imports.apply(
                            preview, request.user, form.cleaned_data["reason"], form.batch, form.versions
                        )
                except ValidationError as error:
                    said = format_html_join(" ", "{}", ((message,) for message in error.messages))
                    self.message_user(request, said, messages.WARNING)
                else:
                    self.message_user(request, result, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:partnerships_changerequest_changelist"))
            context.update(form=imports.UploadForm(), error=form.errors)
        elif request.method == "POST":
            form = imports.UploadForm(request.POST, request.FILES)
            if form.is_valid():
                preview = imports.preview(form.cleaned_data["rows"])
                context.update(
                    form=form,
                    preview=preview,
                    confirm_form=None if preview.has_errors else imports.ConfirmForm.for_rows(preview.rows),
                )
            else:
                context["form"] = form
        else:
            context["form"] = imports.UploadForm()
        return TemplateResponse(request, "admin/partnerships/relationship/import.html", context)


class ParticipationInline(ReviewedInline, admin.TabularInline):
    model = Participation
    autocomplete_fields = ["partner"]
    extra = 1


@admin.register(PartnerSeeking)
class PartnerSeekingAdmin(ReviewedAdmin):
    list_display = ["partner", "countries", "population", "as_of", "checked"]
    search_fields = ["partner__name", "partner__name_ja", "countries", "places"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner", "source"]


@admin.display(boolean=True, description=_("Japanese checked"))
def japanese_checked(record):
    """No term in the Japanese text is waiting for a reviewer to confirm it."""
    return not record.japanese_to_check.strip()


@admin.register(Agreement)
class AgreementAdmin(ReviewedAdmin):
    list_display = ["title", "kind", "signed", "status", japanese_checked]
    list_filter = ["kind", "status", "topics"]
    search_fields = ["title", "title_ja", "summary", "parties__name"]
    autocomplete_fields = ["parties", "topics", "sources", "renews"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Program)
class ProgramAdmin(ReviewedAdmin):
    list_display = ["name", "start_year", "end_year", "status", japanese_checked]
    list_filter = ["status", "topics"]
    search_fields = ["name", "name_ja", "summary", "description"]
    autocomplete_fields = ["topics", "sources", "agreements"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(ReviewedAdmin):
    list_display = ["partner", "program", "role"]
    list_filter = ["role"]
    search_fields = ["partner__name", "partner__name_ja", "program__name"]
    list_select_related = ["partner", "program"]
    autocomplete_fields = ["partner", "program"]


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: say what to put right."),
        validators=[functools.partial(text.check, multiline=True)],
    )


class RecordKindFilter(admin.SimpleListFilter):
    """The queue by kind of record: the directory's own kinds, in the reader's language (not every
    content type Django knows, sessions and permissions among them)."""

    title = _("kind of record")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*PUBLISHED_MODELS)
        return [(str(types[model].pk), capfirst(model._meta.verbose_name)) for model in PUBLISHED_MODELS]

    def queryset(self, request, queryset):
        chosen = self.value()
        known = {key for key, _label in self.lookup_choices}
        return queryset.filter(content_type_id=int(chosen)) if chosen in known else queryset


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """The reviewers' queue; editors see their own submissions here too."""

    list_display = ["object_repr", "content_type", "action", "status", "author", "created", "reviewer"]
    list_filter = ["status", RecordKindFilter, "action"]
    search_fields = ["object_repr", "reason", "review_note"]
    list_select_related = ["content_type", "author", "reviewer"]
    readonly_fields = [f.name for f in ChangeRequest._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if review.can_publish(request.user) else queryset.filter(author=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        review_page = self.admin_site.admin_view(self.review_view)
        return [path("<int:pk>/review/", review_page, name="partnerships_changerequest_review"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:partnerships_changerequest_review", args=[object_id]))

    def review_view(self, request, pk):
        change = get_object_or_404(self.get_queryset(request), pk=pk)
        form = ReviewForm(request.POST or None)
        if request.method == "POST":
            if not review.can_publish(request.user):
                raise PermissionDenied
            if form.is_valid():
                note = form.cleaned_data["note"]
                try:
                    if "approve" in request.POST:
                        change.approve(request.user, note)
                        self.message_user(request, gettext("Published: %s") % change.object_repr, messages.SUCCESS)
                    else:
                        change.reject(request.user, note)
                        self.message_user(request, gettext("Rejected: %s") % change.object_repr, messages.WARNING)
                    return HttpResponseRedirect(reverse("admin:partnerships_changerequest_changelist"))
                except ValidationError as error:
                    form.add_error(None, error)
        resubmit_url = ""
        if change.status == ChangeRequest.Status.REJECTED and change.author == request.user:
            opts = change.model._meta
            if change.object_id:
                target = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[change.object_id])
            else:
                target = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            resubmit_url = f"{target}?resubmit={change.pk}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "resubmit_url": resubmit_url,
            "title": _("Review: %s") % change,
            "change": change,
            "differences": change.differences(),
            "form": form,
            "can_publish": review.can_publish(request.user) and change.status == ChangeRequest.Status.PENDING,
        }
        return TemplateResponse(request, "admin/partnerships/changerequest/review.html", context)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Readers' reports (/report/): read them, check them against their source, make the change
    through the usual review, then mark them acted on or dismissed with a note."""

    list_display = ["received", "status", "page", "what_in_short", "source_url"]
    list_filter = ["status"]
    search_fields = ["what", "about", "source_url"]
    readonly_fields = ["received", "page", "what", "source_url", "email"]
    fields = ["received", "page", "what", "source_url", "email", "status", "note"]

    @admin.display(description=_("page reported"))
    def page(self, report):
        """The record the reader was looking at, by name (the page's address where it shows none)."""
        if not report.about:
            return "—"
        record = record_at(report.about)
        return messages_html.link(report.about, str(record) if record else None)

    @admin.display(description=_("what is wrong or missing"))
    def what_in_short(self, report):
        return Truncator(report.what).chars(100)

    def has_add_permission(self, request):
        return False  # reports come from readers
